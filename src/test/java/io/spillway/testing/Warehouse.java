package io.spillway.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** DuckDB databases for tests, and the check that an exported table reads back equal to its source. */
public final class Warehouse {
    private Warehouse() {}

    public static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
    }

    /** {@code count} tables t_01.. of unequal sizes (1 to ~3000 rows) with the demo's column types; returns their names. */
    public static List<String> create(Path file, int count) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = open(file); Statement s = c.createStatement()) {
            for (int i = 1; i <= count; i++) {
                String name = String.format("t_%02d", i);
                long rows = (i * 7919L) % 3000 + (i % 5 == 0 ? 0 : 1);
                s.execute(table(name, rows));
                names.add(name);
            }
        }
        return names;
    }

    public static String table(String name, long rows) {
        return String.format("""
                CREATE OR REPLACE TABLE "%s" AS
                SELECT i AS id,
                       'name_' || i AS name,
                       (18 + i %% 60)::INTEGER AS age,
                       CASE WHEN i %% 7 = 0 THEN NULL ELSE 'user' || i || '@example.com' END AS email,
                       (i * 37 %% 1000) / 10.0::DOUBLE AS score,
                       i %% 2 = 0 AS active,
                       DATE '2020-01-01' + (i %% 1500)::INTEGER AS signed_up,
                       TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 61) + to_microseconds(i %% 1000) AS last_seen,
                       TIMESTAMPTZ '2024-01-01 00:00:00+02' + to_seconds(i * 17) AS changed_at,
                       (i * 12.34 %% 100000)::DECIMAL(12,2) AS balance,
                       CASE i %% 6 WHEN 0 THEN '' WHEN 1 THEN 'said "hi", then left' WHEN 2 THEN 'line one
                line two' WHEN 3 THEN NULL WHEN 4 THEN 'ünï, cödé 🚀' ELSE 'plain' END AS note
                FROM range(1, %d + 1) t(i)""", name.replace("\"", "\"\""), rows);
    }

    /**
     * A table {@code big} of {@code rows} rows of about 180 bytes (an id and three texts of md5 digits), about 110 MB
     * a million rows in DuckDB: larger than a small container's memory, for tests of DuckDB's memory limit.
     */
    public static String wideTable(long rows) {
        return "CREATE TABLE big AS SELECT range AS id, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS a,"
                + " md5((range * 3)::VARCHAR) || md5((range * 5)::VARCHAR) || md5((range * 7)::VARCHAR) AS b,"
                + " 'row ' || range || ' ' || md5((range * 11)::VARCHAR) AS c FROM range(" + rows + ")";
    }

    /** Rows of {@code table} that are not in the exported files or the other way round (0 means equal). */
    public static long differences(Path source, String table, List<Path> files) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone='UTC'");
            s.execute("ATTACH '" + source.toAbsolutePath() + "' AS src (READ_ONLY)");
            String list = files.stream().map(p -> "'" + p.toAbsolutePath() + "'").reduce((a, b) -> a + "," + b).orElseThrow();
            String q = "\"" + table.replace("\"", "\"\"") + "\"";
            StringBuilder columns = new StringBuilder();
            try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'src'"
                    + " AND table_name = '" + table.replace("'", "''") + "' ORDER BY column_index")) {
                while (rs.next()) {
                    columns.append(columns.isEmpty() ? "" : ", ").append("'").append(rs.getString(1).replace("'", "''"))
                            .append("': '").append(rs.getString(2)).append("'");
                }
            }
            s.execute("CREATE TEMP TABLE exported AS SELECT * FROM read_csv([" + list + "], header = true, columns = {"
                    + columns + "}, quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false,"
                    + " timestampformat = '%Y-%m-%dT%H:%M:%S.%f')");
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM (SELECT * FROM src." + q
                    + " EXCEPT ALL SELECT * FROM exported)) + (SELECT count(*) FROM (SELECT * FROM exported EXCEPT ALL"
                    + " SELECT * FROM src." + q + "))")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static long count(Path source, String table) throws SQLException {
        try (Connection c = open(source); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The data files of an exported table, in order. */
    public static List<Path> files(Path dest, String folder) throws Exception {
        try (Stream<Path> s = Files.list(dest.resolve(folder))) {
            return s.filter(p -> !p.getFileName().toString().startsWith("_")).sorted().toList();
        }
    }
}
