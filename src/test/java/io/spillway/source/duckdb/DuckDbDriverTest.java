package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DuckDbDriverTest {

    /**
     * In a JVM of its own (the test JVM's other tests may have started JFR already): a DuckDB database opened
     * through {@link DuckDbDriver} answers queries, and JFR's event metadata (what registering the driver's
     * memory event starts, 0.2 s of CPU) is never loaded. With a driver whose memory monitor is named
     * otherwise, this fails.
     */
    @Test
    void opensDuckDbWithoutStartingTheFlightRecorder() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("org.duckdb.DuckDBDriver ", "skipped=true answer=42")
                .doesNotContain("jdk.jfr.internal.MetadataRepository");
    }

    /** Opens an in-memory database, queries it, and prints what the test checks. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (Connection c = DuckDbDriver.connect("jdbc:duckdb:", new Properties());
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 6 * 7")) {
                rs.next();
                System.out.println("skipped=" + DuckDbDriver.MONITOR_SKIPPED + " answer=" + rs.getInt(1));
            }
        }
    }
}
