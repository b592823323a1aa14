package io.spillway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.job.Json;
import io.spillway.publish.Layout;
import io.spillway.publish.Manifest;
import io.spillway.store.Store.StoredObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A DuckDB source made for an export test, and the check that a destination holds each of its
 * tables, equal row for row, with nothing in a table's folder but the published files.
 */
public final class Warehouse {
    /** The tables made, by their source names; one has a name that must be encoded as a path segment. */
    public static final List<String> TABLES = List.of("customers", "empty_table", "orders", "Order Lines/2024");

    private final Path file;

    private Warehouse(Path file) {
        this.file = file;
    }

    /** Makes the warehouse in {@code dir}; {@code orderRows} sizes the largest table (about 60 bytes a row). */
    public static Warehouse create(Path dir, int orderRows) throws Exception {
        Path file = dir.resolve("source.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers AS SELECT i AS id, 'customer, \"' || i || '\"' AS name,"
                    + " CASE WHEN i % 5 = 0 THEN NULL ELSE 'line one\nline two ' || i END AS note"
                    + " FROM range(1, 1001) t(i)");
            s.execute("CREATE TABLE empty_table (id INTEGER, label VARCHAR)");
            s.execute("CREATE TABLE orders AS SELECT i AS id, i % 1000 + 1 AS customer_id,"
                    + " round(i * 1.37 % 1000, 2)::DOUBLE AS amount, DATE '2024-01-01' + (i % 365)::INTEGER AS day,"
                    + " 'état-' || (i % 97) AS status FROM range(1, " + (orderRows + 1) + ") t(i)");
            s.execute("CREATE TABLE \"Order Lines/2024\" AS SELECT i AS id, i % 7 AS qty FROM range(1, 5001) t(i)");
        }
        return new Warehouse(file);
    }

    public String source() {
        return "duckdb:" + file;
    }

    /**
     * Checks every table at {@code store}: its manifest counts the source's rows, its files hold
     * exactly the source's rows, and its folder holds nothing but the manifest and its files (and,
     * when versioned, the runs it keeps).
     */
    public void assertExported(Store store, Path work) throws Exception {
        for (String table : TABLES) {
            Manifest manifest = Json.read(store.read(Layout.manifest(table)).orElseThrow(
                    () -> new AssertionError("no manifest for " + table)), Manifest.class, "manifest");
            assertThat(manifest.table()).isEqualTo(table);
            assertThat(manifest.rows()).as("rows of %s", table).isEqualTo(count(table));
            Path local = Files.createTempDirectory(work, "read-back-");
            List<String> files = new ArrayList<>();
            for (Manifest.File f : manifest.files()) {
                Path copy = local.resolve(files.size() + ".csv");
                try (InputStream in = store.open(Layout.tableDir(table) + f.name())) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                assertThat(Files.size(copy)).isEqualTo(f.bytes());
                files.add(copy.toString());
            }
            assertSameRows(table, files);
            Set<String> expected = manifest.files().stream().map(f -> Layout.tableDir(table) + f.name())
                    .collect(Collectors.toCollection(HashSet::new));
            expected.add(Layout.manifest(table));
            Set<String> found = store.list(Layout.tableDir(table)).stream().map(StoredObject::path)
                    .filter(p -> !p.startsWith(Layout.runs(table)) || p.startsWith(Layout.run(table, manifest.execution())))
                    .filter(p -> !p.endsWith("/" + Layout.MANIFEST) || p.equals(Layout.manifest(table)))
                    .collect(Collectors.toSet());
            assertThat(found).as("objects in the folder of %s", table).isEqualTo(expected);
        }
    }

    long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The exported CSV files, read back by DuckDB with the source's types, hold the same rows (as multisets). */
    private void assertSameRows(String table, List<String> files) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            StringBuilder columns = new StringBuilder();
            try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '"
                    + table.replace("'", "''") + "' ORDER BY column_index")) {
                while (rs.next()) {
                    columns.append(columns.isEmpty() ? "" : ", ").append("'").append(rs.getString(1)).append("': '")
                            .append(rs.getString(2)).append("'");
                }
            }
            String list = files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "));
            String exported = "SELECT * FROM read_csv([" + list + "], header = true, columns = {" + columns
                    + "}, quote = '\"', escape = '\"', nullstr = '')";
            String source = "SELECT * FROM " + quote(table);
            for (String q : List.of("(" + source + ") EXCEPT ALL (" + exported + ")",
                    "(" + exported + ") EXCEPT ALL (" + source + ")")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + q + ")")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows of %s that differ: %s", table, q).isZero();
                }
            }
        }
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
