package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.engine.TaskStatus;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** The local executor behaves like an engine: retries with the next attempt, timeouts, a summary, exit codes. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void aFailedTaskIsRetriedWithTheNextAttemptNumber() throws Exception {
        Path db = dir.resolve("w.duckdb");
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("alpha", 2000));
        }
        Path dest = dir.resolve("out");
        Path blocker = dest.resolve(Layout.stagingTable("retry", "alpha"));
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "in the way of the first attempt");
        Path status = dest.resolve(Layout.taskStatus("retry", 0));
        CompletableFuture<Void> unblock = CompletableFuture.runAsync(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !(Files.exists(status)
                        && Json.read(Files.readAllBytes(status), TaskStatus.class, "s").state() == TaskStatus.State.FAILED)) {
                    Thread.sleep(20);
                }
                Files.delete(blocker);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var result = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "retry",
                "--max-retries", "2");
        unblock.get(10, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        // the executor retries at once, so on a busy machine a second attempt may also meet the blocker before it goes
        Matcher row = Pattern.compile("0  SUCCEEDED\\s+(\\d+)\\s+1/1\\s+2000").matcher(result.out());
        assertThat(row.find()).as(result.out()).isTrue();
        int attempts = Integer.parseInt(row.group(1));
        assertThat(attempts).isBetween(2, 3);
        TaskStatus done = Json.read(Files.readAllBytes(status), TaskStatus.class, "s");
        assertThat(done.attempt()).isEqualTo(attempts - 1);
        assertThat(Warehouse.differences(db, "alpha", Warehouse.files(dest, "alpha"))).isZero();
    }

    @Test
    void twoLongTableNamesWithTheSameJavaHashCodeAreExportedToTwoFolders() throws Exception {
        Path db = dir.resolve("w.duckdb");
        String aa = "t".repeat(250) + "Aa";
        String bb = "t".repeat(250) + "BB";
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table(aa, 10));
            s.execute(Warehouse.table(bb, 20));
        }
        Path dest = dir.resolve("out");
        var result = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--tasks", "2");
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("Exported 2 tables");
        assertThat(Layout.segment(aa)).isNotEqualTo(Layout.segment(bb));
        assertThat(Warehouse.differences(db, aa, Warehouse.files(dest, Layout.segment(aa)))).isZero();
        assertThat(Warehouse.differences(db, bb, Warehouse.files(dest, Layout.segment(bb)))).isZero();
    }

    @Test
    void anAttemptPastTheTimeoutIsStoppedAndTheRunFailsWithExitOne() throws Exception {
        Path db = dir.resolve("w.duckdb");
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("big", 3_000_000));
        }
        Path dest = dir.resolve("out");
        long start = System.nanoTime();
        var result = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "slow",
                "--task-timeout", "1s", "--max-retries", "1");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("TIMED_OUT").contains("Task 0 failed after 2 attempts: timed out after 1s")
                .contains("--execution slow");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(60);
        assertThat(dest.resolve("big")).doesNotExist();
    }

    @Test
    void aRunThatContradictsItsExecutionsPlanIsRefused() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 2);
        Path dest = dir.resolve("out");
        assertThat(Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "e",
                "--tasks", "3").exitCode()).isZero();
        var again = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "e", "--tasks", "2");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("was planned for 3 tasks");
    }

    @Test
    void aTaskThatSaysTheJobIsWrongIsNotRetried() throws Exception {
        Path db = dir.resolve("w.duckdb");
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("a", 3000));
            s.execute(Warehouse.table("b", 100));
        }
        Path dest = dir.resolve("out");
        var first = Cli.run(java.util.Map.of(), "task", "--source", "duckdb:" + db, "--dest", dest.toString(),
                "--execution", "x", "--tasks", "2", "--task-index", "0");
        assertThat(first.exitCode()).as(first.err()).isZero();
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("DROP TABLE b");
        }
        var run = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "x",
                "--tasks", "2", "--max-retries", "3");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).containsPattern("1  FAILED\\s+1 ").contains("Task 1 failed after 1 attempts: table b is in the plan")
                .contains("dropped or renamed after planning");
        assertThat(run.out()).containsPattern("0  SUCCEEDED");
    }

    @Test
    void helpAndVersion() {
        var help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("run", "task", "plan", "demo");
        var version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("spillway ");
        assertThat(Cli.run("no-such-command").exitCode()).isEqualTo(2);
    }

    @Test
    void aCommandBuiltAloneParsesAndHelpsAsAmongTheOthers() {
        for (var command : Main.COMMANDS.entrySet()) {
            assertThat(command.getValue().getAnnotation(Command.class).name()).isEqualTo(command.getKey());
        }
        var taskHelp = Cli.run("task", "--help");
        assertThat(taskHelp.exitCode()).isZero();
        assertThat(taskHelp.out()).startsWith("Usage: spillway task ").contains("--source", "--task-index", "--log-format");
        assertThat(taskHelp.out()).isEqualTo(Cli.run("help", "task").out());
        var unknown = Cli.run("task", "--no-such-option");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--no-such-option'");
        var root = Cli.run("--log-format", "text", "plan", "--help");
        assertThat(root.exitCode()).isZero();
        assertThat(root.out()).startsWith("Usage: spillway plan ");
    }

    @Test
    void planShowsEveryUnitAndTheBalanceAndWritesNothing() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 10);
        var plan = Cli.run("plan", "--source", "duckdb:" + db, "--tasks", "30");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("task 29: 0 units").contains("10 tables, 10 units").contains("largest task");
        var json = Cli.run("plan", "--source", "duckdb:" + db, "--tasks", "3", "--json");
        var parsed = Json.read(json.out().getBytes(), io.spillway.plan.Plan.class, "plan");
        assertThat(parsed.assignments()).hasSize(10);
        assertThat(parsed.tasks()).isEqualTo(3);
    }
}
