package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.store.TaskProcess;
import io.spillway.testing.MemoryCgroup;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks in a container of little memory, a memory cgroup (the kernel's own limit, as an engine sets it) smaller than the
 * DuckDB table of 330 MB they export. DuckDB fills its limit with the pages it reads; under the old fixed limit of 1GB a
 * task was killed by the kernel (signal 9, exit code 137, which an engine retries in vain), and so were task processes
 * that ran at once in the same memory, each with 40% of it. Skipped where no memory cgroup can be made
 * ({@link MemoryCgroup}).
 */
class DuckDbContainerMemoryTest {
    private static final long ROWS = 3_000_000;

    @TempDir
    static Path shared;
    static Path db;

    @TempDir
    Path dir;

    @BeforeAll
    static void largerThanTheContainers() throws Exception {
        db = shared.resolve("big.duckdb");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.wideTable(ROWS));
        }
    }

    @Test
    void aTaskInAContainerOfLittleMemoryExportsALargerTableWithoutBeingKilled() throws Exception {
        long limit = 288L << 20;
        assertThat(Files.size(db)).as("a table larger than the container").isGreaterThan(limit);
        try (MemoryCgroup cgroup = MemoryCgroup.of(limit)) {
            Path dest = dir.resolve("out");
            int exit = spillway(cgroup, "task", "--source", "duckdb:" + db, "--dest", dest.toString(),
                    "--tasks", "1", "--task-index", "0");

            assertThat(exit).as(Files.readString(dir.resolve("spillway.log"))).isZero();
            assertThat(cgroup.oomKills()).as("processes the kernel killed for memory").isZero();
            assertThat(rowsIn(dest)).isEqualTo(ROWS);
        }
    }

    /**
     * {@code spillway run --isolate}: two task processes at once in 544 MiB, each reading half of the table. Each would
     * give its DuckDB 40% of the memory it finds and fill it: the kernel killed one of them. The executor tells them that
     * two share the memory, and each takes half of that. Told that one does ({@code SPILLWAY_TASKS_SHARING_MEMORY=1}),
     * as before, a task was killed (exit code 137) in 544 and 576 MiB, after two minutes of paging; with the share the
     * run took 11 s in 512 to 576 MiB. (Run from the packaged jar rather than the test's 230 jars, the same held from
     * 400 to 720 MiB.)
     */
    @Test
    void taskProcessesRunAtOnceInOneContainerShareItsMemoryWithoutBeingKilled() throws Exception {
        try (MemoryCgroup cgroup = MemoryCgroup.of(544L << 20)) {
            Path dest = dir.resolve("out");
            int exit = spillway(cgroup, "run", "--source", "duckdb:" + db, "--dest", dest.toString(),
                    "--tasks", "2", "--parallelism", "2", "--isolate", "--max-retries", "0");

            assertThat(exit).as(Files.readString(dir.resolve("spillway.log"))).isZero();
            assertThat(cgroup.oomKills()).as("processes the kernel killed for memory").isZero();
            assertThat(rowsIn(dest)).isEqualTo(ROWS);
        }
    }

    /** Runs {@code spillway} in its own JVM in {@code cgroup}, logging to spillway.log; its exit code. */
    private int spillway(MemoryCgroup cgroup, String... args) throws Exception {
        Path log = dir.resolve("spillway.log");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        java.addAll(TaskProcess.ownTemporaryFolder(Map.of(), log));
        java.add("io.spillway.cli.Main");
        java.addAll(List.of(args));
        java.addAll(List.of("--log-format", "text"));
        ProcessBuilder pb = new ProcessBuilder(cgroup.command(java)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPILLWAY_") || k.startsWith("JAVA_TOOL"));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // run's task processes too, so the cgroup empties
            p.destroyForcibly().waitFor();
        }
        return p.exitValue();
    }

    private long rowsIn(Path dest) throws Exception {
        try (Connection c = Warehouse.open(dir.resolve("check.duckdb")); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM read_csv('" + dest + "/big/*.csv', header = true)")) {
            r.next();
            return r.getLong(1);
        }
    }
}
