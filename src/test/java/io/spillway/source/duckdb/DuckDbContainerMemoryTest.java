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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task in a container of little memory: {@code spillway task} in a memory cgroup of 288 MiB (the kernel's own
 * limit, as an engine sets it) exports a DuckDB table of 330 MB. DuckDB fills its limit with the pages it reads; under
 * the old fixed limit of 1GB this task was killed by the kernel (signal 9, exit code 137, which an engine retries in
 * vain). Skipped where no memory cgroup can be made ({@link MemoryCgroup}).
 */
class DuckDbContainerMemoryTest {
    private static final long LIMIT = 288L << 20;
    private static final long ROWS = 3_000_000;

    @TempDir
    Path dir;

    @Test
    void aTaskInAContainerOfLittleMemoryExportsALargerTableWithoutBeingKilled() throws Exception {
        try (MemoryCgroup cgroup = MemoryCgroup.of(LIMIT)) {
            Path db = dir.resolve("big.duckdb");
            try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
                s.execute(Warehouse.wideTable(ROWS));
            }
            assertThat(Files.size(db)).as("a table larger than the container").isGreaterThan(LIMIT);
            Path dest = dir.resolve("out");
            Path log = dir.resolve("task.log");
            List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
            java.addAll(TaskProcess.ownTemporaryFolder(Map.of(), log));
            java.addAll(List.of("io.spillway.cli.Main", "task", "--source", "duckdb:" + db, "--dest", dest.toString(),
                    "--tasks", "1", "--task-index", "0", "--log-format", "text"));
            ProcessBuilder pb = new ProcessBuilder(cgroup.command(java)).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SPILLWAY_") || k.startsWith("JAVA_TOOL"));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }

            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            assertThat(cgroup.oomKills()).as("processes the kernel killed for memory").isZero();
            try (Connection c = Warehouse.open(dir.resolve("check.duckdb")); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM read_csv('" + dest + "/big/*.csv', header = true)")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(ROWS);
            }
        }
    }
}
