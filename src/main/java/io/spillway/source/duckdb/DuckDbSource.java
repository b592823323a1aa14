package io.spillway.source.duckdb;

import io.spillway.format.Format;
import io.spillway.format.ShardWriter;
import io.spillway.job.JobException;
import io.spillway.plan.Unit;
import io.spillway.source.Column;
import io.spillway.source.Source;
import io.spillway.source.TableInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A DuckDB database file, opened read-only so any number of task processes can read it at once.
 * Tables are exported by DuckDB's own {@code COPY ... TO}, which writes CSV, JSON lines and
 * Parquet natively on all cores; the file it writes is then handed to the shard writer as it is
 * (CSV and JSON lines split by it when larger than the limit, Parquet cut by DuckDB itself, see
 * {@link DuckDbParquet}).
 *
 * <p>CSV dialect: RFC 4180 with a header, ',' and '"', NULL as an empty unquoted field, an empty
 * string as {@code ""}, UTF-8; dates {@code 2024-01-31}, times {@code 08:30:00.000000}, timestamps
 * {@code 2024-01-31T08:30:00.000000}, timestamps with time zone in UTC {@code 2024-01-31T08:30:00.000000Z}.
 * Other types as DuckDB casts them to text (lists {@code [1, 2]}); blobs in base64, as
 * {@code format.Values} renders them. JSON lines and Parquet: see {@link DuckDbSelect}.
 */
public final class DuckDbSource implements Source {
    private final String uri;
    private final String schema;
    private final Connection connection;

    private DuckDbSource(String uri, String schema, Connection connection) {
        this.uri = uri;
        this.schema = schema;
        this.connection = connection;
    }

    /** Opens {@code duckdb:PATH[?schema=main]}; the file must exist. */
    public static DuckDbSource open(String uri) {
        String rest = uri.substring("duckdb:".length());
        String schema = "main";
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                if (p[0].equals("schema") && p.length == 2 && !p[1].isBlank()) {
                    schema = p[1];
                } else {
                    throw new JobException("unknown option '" + kv + "' in " + uri + ": only ?schema=NAME is understood");
                }
            }
            rest = rest.substring(0, q);
        }
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        Path file = Path.of(rest);
        if (rest.isBlank() || !Files.isRegularFile(file)) {
            throw new JobException("DuckDB file " + (rest.isBlank() ? "(none)" : file.toAbsolutePath())
                    + " does not exist: check the path in --source " + uri);
        }
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), properties());
        } catch (SQLException e) {
            throw new JobException("cannot open DuckDB file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        DuckDbSource source = new DuckDbSource(uri, schema, c);
        source.checkSchema();
        return source;
    }

    private static Properties properties() {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        return p;
    }

    private void checkSchema() {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() ORDER BY 1")) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            if (!schemas.contains(schema)) {
                close();
                throw new JobException("schema '" + schema + "' does not exist in " + uri + " (schemas: "
                        + String.join(", ", schemas) + ")");
            }
        } catch (SQLException e) {
            throw new JobException("cannot read the catalogue of " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public List<TableInfo> tables() throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT table_name, column_name, data_type"
                + " FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ?"
                + " ORDER BY table_name, column_index")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Column(rs.getString(2), rs.getString(3)));
                }
            }
        }
        List<TableInfo> tables = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT table_name, estimated_size FROM duckdb_tables()"
                + " WHERE database_name = current_database() AND schema_name = ? AND NOT temporary ORDER BY table_name")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    long rows = rs.getLong(2);
                    List<Column> cols = columns.getOrDefault(name, List.of());
                    long width = cols.stream().mapToLong(c -> textWidth(c.type()) + 1).sum();
                    tables.add(new TableInfo(name, rows, rows * width, cols));
                }
            }
        }
        return tables;
    }

    /** A rough width of a value as text, for size estimates. */
    static int textWidth(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.startsWith("BOOL")) return 5;
        if (t.startsWith("TINYINT") || t.startsWith("UTINYINT")) return 3;
        if (t.startsWith("SMALLINT") || t.startsWith("USMALLINT")) return 5;
        if (t.startsWith("INTEGER") || t.startsWith("UINTEGER")) return 8;
        if (t.startsWith("BIGINT") || t.startsWith("UBIGINT") || t.startsWith("HUGEINT")) return 12;
        if (t.startsWith("DOUBLE") || t.startsWith("FLOAT") || t.startsWith("REAL")) return 18;
        if (t.startsWith("DECIMAL")) return 12;
        if (t.equals("DATE")) return 10;
        if (t.startsWith("TIMESTAMP")) return 27;
        if (t.startsWith("TIME")) return 15;
        if (t.equals("UUID")) return 36;
        return 24;
    }

    @Override
    public void export(Unit unit, ShardWriter out) throws Exception {
        TableInfo table = tables().stream().filter(t -> t.name().equals(unit.table())).findFirst()
                .orElseThrow(() -> new JobException("table " + unit.table() + " no longer exists in " + uri));
        String select = "SELECT " + table.columns().stream().map(c -> DuckDbSelect.item(c, out.format()))
                .collect(Collectors.joining(", ")) + " FROM " + quote(schema) + "." + quote(unit.table());
        if (out.format() == Format.PARQUET) {
            new DuckDbParquet(connection, out).export(select, table);
            return;
        }
        Path file = out.scratchFile();
        String copy = "COPY (" + select + ") TO '" + file.toString().replace("'", "''") + "' ("
                + options(out) + ")";
        long rows;
        try (Statement s = connection.createStatement()) {
            s.execute(copy);
            rows = s.getUpdateCount();
            if (rows < 0) {
                try (ResultSet rs = s.getResultSet()) {
                    rows = rs != null && rs.next() ? rs.getLong(1) : 0;
                }
            }
        } catch (SQLException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        out.adopt(file, rows);
    }

    private static String options(ShardWriter out) {
        String compression = out.compression().toString();
        return switch (out.format()) {
            case CSV -> "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NULLSTR '', COMPRESSION '"
                    + compression + "'";
            case JSONL -> "FORMAT json, COMPRESSION '" + compression + "'";
            case PARQUET -> throw new IllegalStateException("Parquet is written by DuckDbParquet");
        };
    }

    static String quote(String identifier) {
        return DuckDbSelect.quote(identifier);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a read-only connection loses nothing
        }
    }
}
