package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spillway.store.TaskProcess;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task in a container of little memory: {@code spillway task} in a memory cgroup of 288 MiB (the kernel's own
 * limit, as an engine sets it) exports a DuckDB table of 330 MB. DuckDB fills its limit with the pages it reads; under
 * the old fixed limit of 1GB this task was killed by the kernel (signal 9, exit code 137, which an engine retries in
 * vain). Needs a cgroup file system this test may write (root, cgroup v1 or v2); skipped elsewhere.
 */
class DuckDbContainerMemoryTest {
    private static final long LIMIT = 288L << 20;
    private static final long ROWS = 3_000_000;

    @TempDir
    Path dir;
    private Path cgroup;

    @AfterEach
    void removeCgroup() throws Exception {
        if (cgroup != null) {
            Files.deleteIfExists(cgroup); // rmdir: the process in it has ended
        }
    }

    @Test
    void aTaskInAContainerOfLittleMemoryExportsALargerTableWithoutBeingKilled() throws Exception {
        cgroup = memoryCgroup();
        Path db = dir.resolve("big.duckdb");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big AS SELECT range AS id, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS a,"
                    + " md5((range * 3)::VARCHAR) || md5((range * 5)::VARCHAR) || md5((range * 7)::VARCHAR) AS b,"
                    + " 'row ' || range || ' ' || md5((range * 11)::VARCHAR) AS c FROM range(" + ROWS + ")");
        }
        assertThat(Files.size(db)).as("a table larger than the container").isGreaterThan(LIMIT);
        Path dest = dir.resolve("out");
        Path log = dir.resolve("task.log");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs")
                + " && exec \"$0\" \"$@\"", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        command.addAll(TaskProcess.ownTemporaryFolder(java.util.Map.of(), log));
        command.addAll(List.of("io.spillway.cli.Main", "task", "--source", "duckdb:" + db, "--dest", dest.toString(),
                "--tasks", "1", "--task-index", "0", "--log-format", "text"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPILLWAY_") || k.startsWith("JAVA_TOOL"));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }

        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        assertThat(oomKills()).as("processes the kernel killed for memory").isZero();
        try (Connection c = Warehouse.open(dir.resolve("check.duckdb")); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM read_csv('" + dest + "/big/*.csv', header = true)")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(ROWS);
        }
    }

    /** A new memory cgroup of {@link #LIMIT} bytes, or the test is skipped where none can be made. */
    private static Path memoryCgroup() throws Exception {
        Path v1 = Path.of("/sys/fs/cgroup/memory");
        Path v2 = Path.of("/sys/fs/cgroup");
        String name = "spillway-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        if (Files.isWritable(v1.resolve("cgroup.procs")) && Files.exists(v1.resolve("memory.limit_in_bytes"))) {
            Path g = Files.createDirectory(v1.resolve(name));
            Files.writeString(g.resolve("memory.limit_in_bytes"), Long.toString(LIMIT));
            return g;
        }
        boolean memoryOnV2 = Files.isReadable(v2.resolve("cgroup.subtree_control"))
                && Files.readString(v2.resolve("cgroup.subtree_control")).contains("memory");
        assumeTrue(memoryOnV2 && Files.isWritable(v2.resolve("cgroup.procs")), "no memory cgroup this test may make");
        Path g = Files.createDirectory(v2.resolve(name));
        Files.writeString(g.resolve("memory.max"), Long.toString(LIMIT));
        return g;
    }

    private long oomKills() throws Exception {
        Path events = Files.exists(cgroup.resolve("memory.oom_control")) ? cgroup.resolve("memory.oom_control")
                : cgroup.resolve("memory.events");
        return Files.readAllLines(events).stream().filter(l -> l.startsWith("oom_kill ")).mapToLong(
                l -> Long.parseLong(l.substring("oom_kill ".length()).trim())).sum();
    }
}
