package io.spillway.source.duckdb;

import io.spillway.source.jdbc.Jdbc;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * DuckDB's JDBC driver, started without the Java Flight Recorder event it registers for its memory.
 * Registering that event is the first use of JFR in the JVM: 0.2 s of CPU and 0.1 s of wall in every
 * process that opens a DuckDB file, more than the connection itself, for an event only a flight recording
 * reads. The driver has no setting for it; its monitor skips registering once it is marked started, which
 * is done here before the driver starts, unless a recording is already on (then JFR is started and the
 * event costs nothing more).
 */
final class DuckDbDriver {
    /** Whether the driver's JFR memory event was skipped: false if the driver no longer has that monitor. */
    static final boolean MONITOR_SKIPPED = skipMonitor();
    private static final DuckDBDriver DRIVER = new DuckDBDriver();

    private DuckDbDriver() {}

    static Connection connect(String url, Properties properties) throws SQLException {
        return Jdbc.connect(DRIVER, url, properties);
    }

    private static boolean skipMonitor() {
        try {
            if (jdk.jfr.FlightRecorder.isInitialized()) {
                return false;
            }
            Field started = Class.forName("org.duckdb.DuckDBMemoryMonitor").getDeclaredField("initialized");
            started.setAccessible(true);
            started.setBoolean(null, true);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // another driver version: it registers its event, as it would anyway
        }
    }
}
