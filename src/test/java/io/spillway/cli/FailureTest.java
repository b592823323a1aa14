package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.engine.TaskStatus;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.publish.UnitRecord;
import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failed or killed export never touches the previous one; a retry resumes; duplicate tasks converge. */
class FailureTest {
    @TempDir
    Path dir;

    Map<String, String> env(Path db, Path dest, String execution, int attempt) {
        Map<String, String> env = new HashMap<>();
        env.put("CLOUD_RUN_JOB", "j");
        env.put("CLOUD_RUN_EXECUTION", execution);
        env.put("CLOUD_RUN_TASK_INDEX", "0");
        env.put("CLOUD_RUN_TASK_COUNT", "1");
        env.put("CLOUD_RUN_TASK_ATTEMPT", Integer.toString(attempt));
        env.put("SPILLWAY_SOURCE", "duckdb:" + db);
        env.put("SPILLWAY_DEST", dest.toString());
        return env;
    }

    /** Every file under the table folders (not the state folder) with a hash of its bytes. */
    static Map<String, String> snapshot(Path dest) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dest)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dest.relativize(p).toString();
                if (!rel.startsWith(Layout.STATE)) {
                    files.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                }
            }
        }
        return files;
    }

    @Test
    void aTaskKilledMidExportLeavesThePreviousExportByteForByteAndItsRetryCompletes() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Path dest = dir.resolve("out");
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("big", 2_000_000));
            s.execute(Warehouse.table("small", 100));
        }
        assertThat(Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "first",
                "--max-file-size", "64MiB").exitCode()).isZero();
        Map<String, String> before = snapshot(dest);
        assertThat(before).containsKeys("big/_MANIFEST.json", "small/_MANIFEST.json", "big/big_000000000001.csv");

        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("big", 2_100_000));
            s.execute(Warehouse.table("small", 50));
        }
        Map<String, String> second = env(db, dest, "second", 0);
        second.put("SPILLWAY_MAX_FILE_SIZE", "64MiB");
        Process p = Processes.task(second, dir.resolve("attempt0.log"));
        Path staging = dest.resolve(Layout.staging("second"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!hasStagedData(staging) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(10);
        }
        assertThat(p.isAlive()).as("the task was still exporting when killed").isTrue();
        p.destroyForcibly().waitFor();

        assertThat(snapshot(dest)).isEqualTo(before);

        Map<String, String> retry = env(db, dest, "second", 1);
        retry.put("SPILLWAY_MAX_FILE_SIZE", "64MiB");
        Process again = Processes.task(retry, dir.resolve("attempt1.log"));
        assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(Files.readString(dir.resolve("attempt1.log"))).isZero();

        for (String table : List.of("big", "small")) {
            Manifest m = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
            assertThat(m.execution()).isEqualTo("second");
            assertThat(m.rows()).isEqualTo(Warehouse.count(db, table));
            List<Path> files = Warehouse.files(dest, table);
            assertThat(files).extracting(f -> f.getFileName().toString())
                    .containsExactlyElementsOf(m.files().stream().map(Manifest.File::name).toList());
            assertThat(Warehouse.differences(db, table, files)).isZero();
        }
        assertThat(snapshot(dest).keySet()).doesNotContain("small/small_000000000001.csv");
        try (Stream<Path> left = Files.walk(dest.resolve(Layout.STATE + "/staging"))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        } catch (java.nio.file.NoSuchFileException gone) {
            // nothing staged is left
        }
    }

    static boolean hasStagedData(Path staging) throws Exception {
        if (!Files.exists(staging)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            return walk.anyMatch(f -> Files.isRegularFile(f) && f.toFile().length() > 1_000_000);
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    @Test
    void aRetrySkipsTheUnitsAnEarlierAttemptCommitted() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Path dest = dir.resolve("out");
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("alpha", 5000));
            s.execute(Warehouse.table("beta", 100));
        }
        assertThat(Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "old").exitCode()).isZero();
        Map<String, String> before = snapshot(dest);

        // beta's staging folder cannot be made: the first attempt exports alpha, then fails on beta
        Path blocker = dest.resolve(Layout.stagingTable("new", "beta"));
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker.resolveSibling("beta"), "in the way");
        var first = Cli.run(env(db, dest, "new", 0), "task");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
        assertThat(first.err()).contains("table beta");
        Map<String, String> after = snapshot(dest);
        after.keySet().removeIf(k -> !k.startsWith("beta/"));
        Map<String, String> betaBefore = new TreeMap<>(before);
        betaBefore.keySet().removeIf(k -> !k.startsWith("beta/"));
        assertThat(after).as("beta, not done, is untouched").isEqualTo(betaBefore).isNotEmpty();
        Manifest alphaNow = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest("alpha"))), Manifest.class, "m");
        assertThat(alphaNow.execution()).as("alpha, all of whose units were committed, is published").isEqualTo("new");
        TaskStatus failed = Json.read(Files.readAllBytes(dest.resolve(Layout.taskStatus("new", 0))), TaskStatus.class, "s");
        assertThat(failed.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(failed.error()).contains("table beta");

        Files.delete(blocker.resolveSibling("beta"));
        var second = Cli.run(env(db, dest, "new", 1), "task");
        assertThat(second.exitCode()).as(second.err()).isZero();
        TaskStatus done = Json.read(Files.readAllBytes(dest.resolve(Layout.taskStatus("new", 0))), TaskStatus.class, "s");
        assertThat(done.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.unitsSkipped()).isEqualTo(1);
        assertThat(done.unitsDone()).isEqualTo(1);
        UnitRecord alpha = Json.read(Files.readAllBytes(dest.resolve(Layout.unitRecord("new", "alpha", 0))), UnitRecord.class, "r");
        assertThat(alpha.attempt()).isZero();
        for (String table : List.of("alpha", "beta")) {
            assertThat(Warehouse.differences(db, table, Warehouse.files(dest, table))).isZero();
        }
    }

    @Test
    void twoCopiesOfTheSameTaskAtOnceConvergeOnOneResult() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Path dest = dir.resolve("out");
        List<String> tables = Warehouse.create(db, 12);
        Map<String, String> env = env(db, dest, "dup", 0);
        env.put("CLOUD_RUN_TASK_COUNT", "2");
        env.put("SPILLWAY_MAX_FILE_SIZE", "16KiB");
        Process a = Processes.task(env, dir.resolve("a.log"));
        Process b = Processes.task(env, dir.resolve("b.log"));
        Map<String, String> other = new HashMap<>(env);
        other.put("CLOUD_RUN_TASK_INDEX", "1");
        Process c = Processes.task(other, dir.resolve("c.log"));
        for (Process p : List.of(a, b, c)) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(a.exitValue()).as(Files.readString(dir.resolve("a.log"))).isZero();
        assertThat(b.exitValue()).as(Files.readString(dir.resolve("b.log"))).isZero();
        assertThat(c.exitValue()).as(Files.readString(dir.resolve("c.log"))).isZero();
        for (String table : tables) {
            Manifest m = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
            List<Path> files = Warehouse.files(dest, table);
            assertThat(files).extracting(f -> f.getFileName().toString())
                    .containsExactlyElementsOf(m.files().stream().map(Manifest.File::name).toList());
            assertThat(m.rows()).isEqualTo(Warehouse.count(db, table));
            assertThat(Warehouse.differences(db, table, files)).as(table).isZero();
        }
    }

    /**
     * The reproduction: a table of many small files, a second execution whose task is
     * killed -9 as soon as the first file of the table's folder is replaced, mid-publish. The next
     * task to touch the table (a retry, or another execution's task) finishes that publish first;
     * meanwhile status names it.
     */
    @ParameterizedTest(name = "resumed by {0}")
    @ValueSource(strings = {"a retry", "a new execution"})
    void aTaskKilledMidPublishIsFinishedByTheNextTaskThatTouchesTheTable(String resume) throws Exception {
        Path db = dir.resolve("w.duckdb");
        Path dest = dir.resolve("out");
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("t", 1_000));
        }
        assertThat(Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "first",
                "--max-file-size", "1KiB").exitCode()).isZero();
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("t", 950));
            s.execute("UPDATE t SET name = name || ' changed'");
        }
        Path first = dest.resolve("t/t_000000000000.csv");
        Object before = Files.readAttributes(first, BasicFileAttributes.class).fileKey();
        Map<String, String> second = env(db, dest, "second", 0);
        second.put("SPILLWAY_MAX_FILE_SIZE", "1KiB");
        Process p = Processes.task(second, dir.resolve("attempt0.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (p.isAlive() && System.nanoTime() < deadline
                && before.equals(Files.readAttributes(first, BasicFileAttributes.class).fileKey())) {
            Thread.onSpinWait();
        }
        assertThat(p.isAlive()).as("the task was still publishing when killed").isTrue();
        p.destroyForcibly().waitFor();

        var status = Cli.run("status", "--dest", dest.toString(), "--execution", "second");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("Unfinished publish of table t by execution second");
        var verify = Cli.run("verify", "--dest", dest.toString());
        assertThat(verify.exitCode()).as(verify.out()).isEqualTo(1);
        assertThat(verify.out()).contains("MISMATCH: table t: a publish by execution second");

        Map<String, String> next = resume.equals("a retry") ? env(db, dest, "second", 1) : env(db, dest, "third", 0);
        next.put("SPILLWAY_MAX_FILE_SIZE", "1KiB");
        next.put("SPILLWAY_PUBLISH_LEASE", "0s"); // the killed task's lease would keep another execution waiting a minute
        Process again = Processes.task(next, dir.resolve("attempt1.log"));
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(Files.readString(dir.resolve("attempt1.log"))).isZero();

        Manifest m = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest("t"))), Manifest.class, "manifest");
        assertThat(m.execution()).isEqualTo(resume.equals("a retry") ? "second" : "third");
        List<Path> files = Warehouse.files(dest, "t");
        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactlyElementsOf(m.files().stream().map(Manifest.File::name).toList());
        for (Manifest.File f : m.files()) {
            byte[] bytes = Files.readAllBytes(dest.resolve("t").resolve(f.name()));
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            assertThat(String.format("%08x", crc.getValue())).as(f.name()).isEqualTo(f.crc32c());
        }
        assertThat(m.rows()).isEqualTo(950);
        assertThat(Warehouse.differences(db, "t", files)).isZero();
        assertThat(Cli.run("status", "--dest", dest.toString()).out()).doesNotContain("Unfinished publish");
        var verified = Cli.run("verify", "--dest", dest.toString(), "--against-source", "duckdb:" + db);
        assertThat(verified.exitCode()).as(verified.out()).isZero();
    }
}
