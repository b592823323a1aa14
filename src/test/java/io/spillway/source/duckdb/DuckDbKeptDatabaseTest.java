package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.source.Sources;
import io.spillway.spi.Source;
import io.spillway.testing.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that ends with its command keeps each DuckDB file's database open to its exit
 * ({@link Sources#processEndsWithCommand}), so that a second source on the file finds it open. Each case runs in a
 * JVM of its own: keeping databases open is for the whole process, and this test JVM's other tests write the files
 * they then read.
 */
class DuckDbKeptDatabaseTest {
    @TempDir
    Path dir;

    /**
     * The first source sets a global setting of the file's database; the second source, opened after the first is
     * closed, sees it only if the database stayed open. Without the call, it was closed and opened anew.
     */
    @Test
    void aSecondSourceOnTheFileFindsItsDatabaseOpenOnlyInAProcessThatEndsWithItsCommand() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 2);
        assertThat(probe("keep", db)).contains("threads=7 tables=2", "exit=0");
        assertThat(probe("close", db)).contains("tables=2", "exit=0").doesNotContain("threads=7");
    }

    /** {@code spillway run} in one process, its tasks on threads: every table whole, through the database kept open. */
    @Test
    void runExportsEveryTableInAProcessThatKeepsTheDatabaseOpen() throws Exception {
        Path db = dir.resolve("w.duckdb");
        List<String> tables = Warehouse.create(db, 4);
        Path dest = dir.resolve("out");
        String out = java("io.spillway.cli.Main", "run", "--source", "duckdb:" + db, "--dest", dest.toString(),
                "--tasks", "3", "--parallelism", "1", "--split-size", "16KB");
        assertThat(out).contains("exit=0");
        for (String table : tables) {
            List<Path> files = Warehouse.files(dest, table);
            assertThat(files).as(table).isNotEmpty();
            assertThat(Warehouse.differences(db, table, files)).as(table).isZero();
        }
    }

    private String probe(String mode, Path db) throws Exception {
        return java(Probe.class.getName(), mode, db.toString());
    }

    private static String java(String main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        return out + "\nexit=" + p.exitValue();
    }

    /** Opens the file as a source twice, one after the other, and prints what the second found. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("keep")) {
                Sources.processEndsWithCommand();
            }
            String url = "jdbc:duckdb:" + Path.of(args[1]).toAbsolutePath();
            try (Source first = Sources.open("duckdb:" + args[1]);
                    Connection c = DuckDbDriver.connect(url, DuckDbSource.properties());
                    Statement s = c.createStatement()) {
                s.execute("SET GLOBAL threads = 7");
            }
            try (Source second = Sources.open("duckdb:" + args[1]);
                    Connection c = DuckDbDriver.connect(url, DuckDbSource.properties());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('threads')")) {
                rs.next();
                System.out.println("threads=" + rs.getLong(1) + " tables=" + second.tables().size());
            }
            System.exit(0);
        }
    }
}
