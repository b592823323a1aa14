package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB's memory limit ({@code SPILLWAY_DUCKDB_MEMORY_LIMIT}) against rows of 2 kB: a COPY that kept the table's
 * order would hold rows its threads read ahead, and a Parquet row group of 65,000 such rows is 130 MB; both fail
 * limits that the export now keeps to. A limit too small anyway (rows of 8 kB) is a one-line error naming the setting.
 */
class DuckDbMemoryTest {
    @TempDir
    static Path dir;
    static Path db;

    @BeforeAll
    static void wideRows() throws Exception {
        db = dir.resolve("wide.duckdb");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE wide AS SELECT range AS id, repeat(md5(range::VARCHAR), 64) AS body FROM range(20000)");
            s.execute("CREATE TABLE wider AS SELECT range AS id, repeat(md5(range::VARCHAR), 256) AS body FROM range(6000)");
        }
    }

    private static Cli.Result task(String limit, String table, String... more) {
        List<String> args = new ArrayList<>(List.of("task", "--source", "duckdb:" + db, "--include", table,
                "--tasks", "1", "--task-index", "0", "--execution", "e" + System.nanoTime()));
        args.addAll(List.of(more));
        return Cli.run(Map.of("SPILLWAY_DUCKDB_MEMORY_LIMIT", limit), args.toArray(String[]::new));
    }

    @Test
    void csvOfRowsTooWideToBeHeldInOrderIsWrittenUnderTheLimit() throws Exception {
        Path dest = dir.resolve("csv");
        Cli.Result r = task("64MB", "wide", "--dest", dest.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Path> files = Warehouse.files(dest, "wide");
        assertThat(files).hasSize(1);
        assertThat(Files.size(files.get(0))).isGreaterThan(40_000_000L);
        assertThat(Warehouse.differences(db, "wide", files)).isZero();
    }

    @Test
    void parquetRowGroupsOfWideRowsAreKeptUnderTheLimit() throws Exception {
        Path dest = dir.resolve("parquet");
        Cli.Result r = task("32MB", "wide", "--dest", dest.toString(), "--format", "parquet", "--max-file-size", "16MB");

        assertThat(r.exitCode()).as(r.err()).isZero();
        String read = "read_parquet([" + Warehouse.files(dest, "wide").stream().map(p -> "'" + p + "'")
                .reduce((a, b) -> a + ", " + b).orElseThrow() + "])";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("ATTACH '" + db + "' AS src (READ_ONLY)");
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM (SELECT * FROM src.wide EXCEPT ALL"
                    + " SELECT * FROM " + read + ")) + (SELECT count(*) FROM (SELECT * FROM " + read
                    + " EXCEPT ALL SELECT * FROM src.wide)), (SELECT count(*) FROM " + read + ")")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows that differ").isZero();
                assertThat(rs.getLong(2)).isEqualTo(20_000);
            }
        }
    }

    @Test
    void aLimitTooSmallForTheRowsIsAOneLineErrorNamingTheSettingNotRetried() {
        // rows of 8 kB in slices of 8 MB, two COPYs at once
        Cli.Result r = task("24MB", "wider", "--dest", dir.resolve("small").toString(), "--max-file-size", "8MB");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n")
                .startsWith("spillway: table wider: DuckDB ran out of memory under its limit of 24MB:")
                .contains("raise SPILLWAY_DUCKDB_MEMORY_LIMIT");
    }

    /**
     * Rows of 2 kB in slices of 8 MB, two COPYs at once, under a limit that they mostly overrun: when they do, the
     * error is the COPY's that failed first, not how the other one ended. The driver closes the statement of a COPY
     * that failed, and cancelling the other COPY then failed with "Statement was closed", which was reported.
     */
    @Test
    void twoCopiesAtOnceThatOverrunTheLimitReportTheOverrunNotTheOtherCopysEnd() throws Exception {
        for (int i = 0; i < 3; i++) { // which COPY fails first varies
            Path dest = dir.resolve("two" + i);
            Cli.Result r = task("24MB", "wide", "--dest", dest.toString(), "--max-file-size", "8MB");

            if (r.exitCode() == 0) { // they fitted this time
                assertThat(Warehouse.differences(db, "wide", Warehouse.files(dest, "wide"))).isZero();
            } else {
                assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
                assertThat(r.err()).contains("DuckDB ran out of memory under its limit of 24MB");
            }
        }
    }

    @Test
    void aLimitThatIsNoSizeOrBelowWhatDuckDbNeedsIsRefusedBeforeAnythingRuns() {
        Cli.Result none = task("lots", "wide", "--dest", dir.resolve("none").toString());
        Cli.Result tiny = task("1MB", "wide", "--dest", dir.resolve("tiny").toString());

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("spillway: SPILLWAY_DUCKDB_MEMORY_LIMIT=lots: 'lots' is not a size:"
                + " write it like 1GiB, 512MB, 64KiB or 1048576");
        assertThat(tiny.exitCode()).isEqualTo(2);
        assertThat(tiny.err().strip()).isEqualTo("spillway: SPILLWAY_DUCKDB_MEMORY_LIMIT=1MB is too small for DuckDB:"
                + " give it 16MiB or more (by default 40% of the task's memory, at most 1GB)");
        assertThat(dir.resolve("none")).doesNotExist();
    }
}
