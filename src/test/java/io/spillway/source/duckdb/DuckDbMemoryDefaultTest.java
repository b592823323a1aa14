package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.config.Sizes;
import io.spillway.spi.JobException;
import io.spillway.testing.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB's memory limit when {@code SPILLWAY_DUCKDB_MEMORY_LIMIT} is not set: half of DuckDB's own default, at most 1GB. */
class DuckDbMemoryDefaultTest {
    @TempDir
    Path dir;

    @Test
    void halfOfDuckDbsOwnDefaultAtMostOneGigabyteAndNeverBelowWhatDuckDbNeeds() {
        // DuckDB's own default is 80% of the memory it finds: 409.5 MiB in a container of Cloud Run's default 512 MiB
        DuckDbMemory container = DuckDbMemory.byDefault(Sizes.parse("409.5MiB"), 1);
        assertThat(container.bytes()).isEqualTo(Sizes.parse("409.5MiB") / 2);
        assertThat(container.described()).isEqualTo("204.8 MiB, half of DuckDB's own default of 409.5 MiB (80% of the"
                + " memory it finds for this task)");
        assertThat(container.advice()).isEqualTo("give the task more memory, or set SPILLWAY_DUCKDB_MEMORY_LIMIT higher"
                + " where it has room");

        DuckDbMemory machine = DuckDbMemory.byDefault(Sizes.parse("18.8GiB"), 1);
        assertThat(machine.bytes()).isEqualTo(1_000_000_000L);
        assertThat(machine.described()).isEqualTo("1GB");
        assertThat(machine.advice()).isEqualTo("raise SPILLWAY_DUCKDB_MEMORY_LIMIT, to twice that say");

        assertThat(DuckDbMemory.byDefault(Sizes.parse("20MiB"), 1).bytes()).isEqualTo(16L << 20);
    }

    @Test
    void tasksThatRunAtOnceInTheSameMemoryDivideTheDefaultAmongThem() {
        // two task processes of `spillway run --isolate` in a container of 512 MiB: each DuckDB fills its limit
        DuckDbMemory two = DuckDbMemory.byDefault(Sizes.parse("409.5MiB"), 2);
        assertThat(two.bytes()).isEqualTo(Sizes.parse("409.5MiB") / 4);
        assertThat(two.described()).isEqualTo("102.4 MiB, half of DuckDB's own default of 409.5 MiB (80% of the memory"
                + " it finds for this task), divided among the 2 tasks that run at once in it"
                + " (SPILLWAY_TASKS_SHARING_MEMORY)");
        assertThat(two.advice()).isEqualTo("give the task more memory, run fewer tasks at once (--parallelism), or set"
                + " SPILLWAY_DUCKDB_MEMORY_LIMIT higher where it has room");
        // each still at most 1GB; a large machine's share is the cap
        assertThat(DuckDbMemory.byDefault(Sizes.parse("18.8GiB"), 4).bytes()).isEqualTo(1_000_000_000L);
        assertThat(DuckDbMemory.byDefault(Sizes.parse("18.8GiB"), 16).bytes()).isEqualTo(Sizes.parse("18.8GiB") / 32);
        assertThat(DuckDbMemory.byDefault(Sizes.parse("409.5MiB"), 64).bytes()).isEqualTo(16L << 20);
    }

    @Test
    void theNumberOfTasksSharingTheMemoryIsAWholeNumberFromOneUp() {
        assertThat(DuckDbMemory.sharing(null)).isEqualTo(1);
        assertThat(DuckDbMemory.sharing(" 3 ")).isEqualTo(3);
        for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
            assertThatThrownBy(() -> DuckDbMemory.sharing(bad)).isInstanceOf(JobException.class)
                    .hasMessage("SPILLWAY_TASKS_SHARING_MEMORY=" + bad + ": give the number of tasks that run at once"
                            + " in this task's memory, 1 or more");
        }
    }

    @Test
    void aSourceOpenedWithoutTheSettingGivesDuckDbHalfOfItsOwnDefaultAtMostOneGigabyte() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 1);
        long own;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_setting('memory_limit')")) {
            r.next();
            own = Sizes.parse(r.getString(1));
        }
        try (DuckDbSource source = DuckDbSource.open("duckdb:" + db, Map.of())) {
            assertThat(limitOf(db, Math.min(own / 2, 1_000_000_000L))).isEqualTo(setting(Math.min(own / 2, 1_000_000_000L)));
        }
        try (DuckDbSource source = DuckDbSource.open("duckdb:" + db, Map.of("SPILLWAY_DUCKDB_MEMORY_LIMIT", "64MiB"))) {
            assertThat(limitOf(db, 64L << 20)).isEqualTo("64.0 MiB");
        }
    }

    /** How DuckDB prints a limit of {@code bytes}, read back from an in-memory database given it. */
    private static String setting(long bytes) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '" + bytes + "B'");
            try (ResultSet r = s.executeQuery("SELECT current_setting('memory_limit')")) {
                r.next();
                return r.getString(1);
            }
        }
    }

    /**
     * The limit of the database a source has open: a connection with the source's properties, {@code expected} its
     * limit, shares it (with any other limit DuckDB refuses to open the file a second time).
     */
    private static String limitOf(Path db, long expected) throws Exception {
        try (Connection c = DuckDbDriver.connect("jdbc:duckdb:" + db.toAbsolutePath(), DuckDbSource.properties(expected));
                Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_setting('memory_limit')")) {
            r.next();
            return r.getString(1);
        }
    }
}
