package io.spillway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.testing.Warehouse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A DuckDB source for bucket exports, and the check that a store holds each of its tables equal
 * row for row, with nothing in a table's folder but the published files.
 */
public final class Exports {
    /** The tables always made; one name must be encoded to become a path segment, one table is empty. */
    public static final List<String> TABLES = List.of("customers", "empty_table", "orders", "Order Lines/2024");

    private Exports() {}

    /**
     * Makes {@code source.duckdb} in {@code dir} with {@link #TABLES}, the largest of {@code orderRows}
     * rows (~170 bytes each), plus {@code more} of the foundation's tables t_01.. of unequal sizes.
     */
    public static Path warehouse(Path dir, long orderRows, int more) throws Exception {
        Path db = dir.resolve("source.duckdb");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("customers", 1000));
            s.execute(Warehouse.table("empty_table", 0));
            s.execute(Warehouse.table("orders", orderRows));
            s.execute(Warehouse.table("Order Lines/2024", 5000));
        }
        if (more > 0) {
            Warehouse.create(dir.resolve("more.duckdb"), more);
            try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
                s.execute("ATTACH '" + dir.resolve("more.duckdb") + "' AS more (READ_ONLY)");
                for (int i = 1; i <= more; i++) {
                    s.execute(String.format("CREATE TABLE t_%02d AS SELECT * FROM more.t_%02d", i, i));
                }
            }
        }
        return db;
    }

    /** The tables of {@code db}, by name. */
    public static List<String> tables(Path db) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT table_name FROM duckdb_tables() ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Checks every table of {@code db} at {@code store}: its manifest counts the source's rows, its files read
     * back equal to the source, and its folder holds only the manifest and its files (when
     * versioned: besides older runs kept).
     */
    public static void assertExported(Store store, Path db, Path work) throws Exception {
        for (String table : tables(db)) {
            Manifest manifest = Json.read(store.read(Layout.manifest(table)).orElseThrow(
                    () -> new AssertionError("no manifest for " + table)), Manifest.class, "manifest");
            assertThat(manifest.table()).isEqualTo(table);
            assertThat(manifest.rows()).as("rows of %s", table).isEqualTo(Warehouse.count(db, table));
            Path local = Files.createTempDirectory(work, "read-back-");
            List<Path> files = new ArrayList<>();
            for (Manifest.File f : manifest.files()) {
                Path copy = local.resolve(files.size() + ".csv");
                try (InputStream in = store.open(Layout.tableDir(table) + f.name())) {
                    Files.copy(in, copy);
                }
                assertThat(Files.size(copy)).isEqualTo(f.bytes());
                files.add(copy);
            }
            assertThat(Warehouse.differences(db, table, files)).as("rows of %s that differ", table).isZero();
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
}
