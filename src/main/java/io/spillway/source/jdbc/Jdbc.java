package io.spillway.source.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/** Connections straight from a driver. */
public final class Jdbc {
    private Jdbc() {}

    /**
     * Connects through {@code driver} itself: {@code DriverManager} would first load and start
     * every driver on the class path (DuckDB's starts a monitor thread), a tenth of a second of
     * each task's start.
     */
    public static Connection connect(Driver driver, String url, Properties properties) throws SQLException {
        Connection c = driver.connect(url, properties);
        if (c == null) {
            throw new SQLException("the driver " + driver.getClass().getName() + " does not take URLs like this one");
        }
        return c;
    }
}
