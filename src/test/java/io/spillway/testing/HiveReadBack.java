package io.spillway.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a partitioned export back with DuckDB's {@code hive_partitioning}, as a user would. */
public final class HiveReadBack {
    private HiveReadBack() {}

    /**
     * DuckDB's read of the table folder {@code folder} ({@code csv} or {@code parquet} files one folder down),
     * as a {@code read_csv}/{@code read_parquet} expression. {@code fileColumns} types the CSV columns, in order (empty: DuckDB guesses); {@code
     * hiveTypes} the partition columns (empty: DuckDB guesses).
     */
    public static String read(Path folder, String format, Map<String, String> fileColumns, Map<String, String> hiveTypes) {
        String glob = "'" + folder.toAbsolutePath() + "/*/*." + format + "'";
        String types = hiveTypes.isEmpty() ? "" : ", hive_types = " + struct(hiveTypes);
        if (format.equals("parquet")) {
            return "read_parquet(" + glob + ", hive_partitioning = true" + types + ")";
        }
        if (fileColumns.isEmpty()) {
            return "read_csv(" + glob + ", header = true, hive_partitioning = true" + types + ")";
        }
        return "read_csv(" + glob + ", header = true, columns = " + struct(fileColumns) + ", quote = '\"', escape = '\"',"
                + " nullstr = '', allow_quoted_nulls = false, timestampformat = '%Y-%m-%dT%H:%M:%S.%f',"
                + " hive_partitioning = true" + types + ")";
    }

    /**
     * Rows of DuckDB table {@code table} in the file {@code db} that are not in the partitioned export at
     * {@code folder} or the other way round (0: equal), compared on the source's columns by name. The
     * column {@code dropped} (null: none) is not in the files: DuckDB takes it from the folders.
     */
    public static long differences(Path db, String table, Path folder, String format, String dropped) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone='UTC'");
            s.execute("ATTACH '" + db.toAbsolutePath() + "' AS src (READ_ONLY)");
            Map<String, String> columns = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name"
                    + " = 'src' AND table_name = '" + table.replace("'", "''") + "' ORDER BY column_index")) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
            Map<String, String> files = new LinkedHashMap<>(columns);
            Map<String, String> hive = new LinkedHashMap<>();
            if (dropped != null) {
                hive.put(dropped, files.remove(dropped));
            }
            s.execute("CREATE TEMP TABLE exported AS SELECT * FROM " + read(folder, format, files, hive));
            List<String> quoted = new ArrayList<>();
            columns.keySet().forEach(n -> quoted.add("\"" + n.replace("\"", "\"\"") + "\""));
            String list = String.join(", ", quoted);
            String q = "src.\"" + table.replace("\"", "\"\"") + "\"";
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM (SELECT " + list + " FROM " + q
                    + " EXCEPT ALL SELECT " + list + " FROM exported)) + (SELECT count(*) FROM (SELECT " + list
                    + " FROM exported EXCEPT ALL SELECT " + list + " FROM " + q + "))")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The answer of one query with one long value, in an in-memory DuckDB. */
    public static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String struct(Map<String, String> columns) {
        List<String> items = new ArrayList<>();
        columns.forEach((n, t) -> items.add("'" + n.replace("'", "''") + "': '" + t + "'"));
        return "{" + String.join(", ", items) + "}";
    }
}
