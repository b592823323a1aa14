package io.spillway.format;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** An in-memory DuckDB for tests that read back what Spillway wrote (read_parquet, read_json). */
public final class TestDuckDb implements AutoCloseable {
    private final Connection connection;

    public TestDuckDb() throws SQLException {
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        connection = DriverManager.getConnection("jdbc:duckdb:", p);
        execute("SET TimeZone = 'UTC'");
    }

    public void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every row of a query, each as a list of its values as the driver returns them. */
    public List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(Arrays.asList(row));
            }
        }
        return rows;
    }

    /** The single value of a query that returns one row and one column. */
    public Object value(String sql) throws SQLException {
        return rows(sql).get(0).get(0);
    }

    /** A path as a DuckDB string literal. */
    public static String literal(Object path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
