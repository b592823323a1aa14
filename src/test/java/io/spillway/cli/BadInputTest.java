package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input: a one-line error naming what to fix, exit code 2, and nothing written at the destination. */
class BadInputTest {
    @TempDir
    static Path dir;
    static Path db;

    @BeforeAll
    static void warehouse() throws Exception {
        db = dir.resolve("w.duckdb");
        Warehouse.create(db, 3);
        Files.writeString(dir.resolve("a-file"), "not a folder");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("unknown source scheme", new String[] {"--source", "oracle://scott:tiger@db/x"}, "unknown source 'oracle://scott:***@db/x'"),
                Arguments.of("missing DuckDB file", new String[] {"--source", "duckdb:/nowhere/w.duckdb"}, "DuckDB file /nowhere/w.duckdb does not exist"),
                Arguments.of("unknown schema", new String[] {"--source", "duckdb:DB?schema=sales"}, "schema 'sales' does not exist"),
                Arguments.of("a glob that matches nothing", new String[] {"--include", "orders_*"}, "--include 'orders_*' matches no table"),
                Arguments.of("zero tasks", new String[] {"--tasks", "0"}, "--tasks must be at least 1"),
                Arguments.of("unwritable destination", new String[] {"--dest", "DIR/a-file/export"}, "cannot be a folder"),
                Arguments.of("a size that is not one", new String[] {"--max-file-size", "big"}, "'big' is not a size"),
                Arguments.of("an unknown format", new String[] {"--format", "xml"}, "unknown --format 'xml'"),
                Arguments.of("gzip for avro", new String[] {"--format", "avro", "--compression", "gzip"},
                        "--compression gzip does not apply to --format avro: use snappy (the default), deflate, zstd or none"),
                Arguments.of("deflate for csv", new String[] {"--compression", "deflate"},
                        "--compression deflate does not apply to --format csv: use none (the default), gzip or zstd"),
                Arguments.of("a bad timeout", new String[] {"--task-timeout", "soon"}, "'soon' is not a duration"),
                Arguments.of("a tasks count that is not a number", new String[] {"--tasks", "many"}, "'many'"),
                Arguments.of("more tasks than an engine runs", new String[] {"--tasks", "10001"},
                        "--tasks must be at most 10000, not 10001: Cloud Run Jobs run at most 10,000 tasks, AWS Batch"),
                Arguments.of("a hundred million tasks", new String[] {"--tasks", "100000000"}, "--tasks must be at most 10000"),
                Arguments.of("two billion tasks", new String[] {"--tasks", "2000000000"}, "--tasks must be at most 10000"),
                Arguments.of("a destination under /proc", new String[] {"--dest", "/proc/spillway-test/export"},
                        "destination /proc/spillway-test/export cannot be written"),
                Arguments.of("a relative file URI", new String[] {"--dest", "file://relative/export"},
                        "destination 'file://relative/export' names a host, not a folder"),
                Arguments.of("a file URI that is not one", new String[] {"--dest", "file:///a b"}, "is not a file URI"),
                Arguments.of("a port out of range", new String[] {"--source", "postgresql://postgres@127.0.0.1:99999/test"},
                        "the port 99999 is not between 1 and 65535"),
                Arguments.of("a port of zero", new String[] {"--source", "mysql://root@127.0.0.1:0/mysql"},
                        "the port 0 is not between 1 and 65535"),
                Arguments.of("--consistent for DuckDB", new String[] {"--consistent"},
                        "--consistent is not offered for duckdb:"),
                Arguments.of("--consistent with --no-snapshot", new String[] {"--consistent", "--no-snapshot"},
                        "--consistent reads every table as of one moment and --no-snapshot reads each as it is"),
                Arguments.of("an exclude that leaves no table", new String[] {"--exclude", "*"},
                        "--exclude '*' leaves no table of"),
                Arguments.of("a cursor without a column", new String[] {"--cursor", "t_01"}, "--cursor 't_01' is not TABLE=COLUMN"),
                Arguments.of("a cursor on a column the table lacks", new String[] {"--cursor", "t_0[12]=nope"},
                        "--cursor names column nope for table t_01, which has no such column (columns: id, name,"),
                Arguments.of("a cursor with the versioned layout", new String[] {"--cursor", "t_01=id", "--layout", "versioned"},
                        "--cursor does not work with --layout versioned yet"),
                Arguments.of("a partition rule without a column", new String[] {"--partition-by", "t_01"},
                        "--partition-by 't_01' is not TABLE=COLUMN[:year|month|day]"),
                Arguments.of("an unknown partition granularity", new String[] {"--partition-by", "t_01=signed_up:week"},
                        "unknown granularity 'week', use year, month or day"),
                Arguments.of("a partition column the table lacks", new String[] {"--partition-by", "t_0*=nope"},
                        "--partition-by t_0*=nope: table t_01 has no column nope (its columns: id, name,"),
                Arguments.of("a partition granularity on a number", new String[] {"--partition-by", "t_01=age:month"},
                        "--partition-by t_01=age:month: column age of table t_01 is INTEGER, not a date or timestamp: drop :month"),
                Arguments.of("an unknown PostgreSQL marker", new String[] {"--source",
                        "postgresql://postgres@127.0.0.1:5432/test?marker=mtime", "--skip-unchanged"},
                        "unknown marker=mtime in postgresql://postgres@127.0.0.1:5432/test"),
                Arguments.of("an include and exclude that leave none", new String[] {"--include", "t_0[12]", "--exclude", "t_*"},
                        "--exclude 't_*' leaves no table of"));
    }

    @ParameterizedTest(name = "run: {0}")
    @MethodSource("cases")
    void runRefusesBadInput(String name, String[] args, String message) throws Exception {
        Path dest = dir.resolve("dest-" + name.replace(' ', '-'));
        var given = Stream.of(args).map(a -> a.replace("DB", db.toString()).replace("DIR", dir.toString())).toList();
        var all = new java.util.ArrayList<>(java.util.List.of("run"));
        if (!given.contains("--source")) {
            all.addAll(java.util.List.of("--source", "duckdb:" + db));
        }
        if (!given.contains("--dest")) {
            all.addAll(java.util.List.of("--dest", dest.toString()));
        }
        all.addAll(given);
        var result = Cli.run(all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message).endsWith("\n").hasLineCount(1).doesNotContain("Exception").doesNotContain("tiger");
        assertThat(result.out()).isEmpty();
        assertThat(dest).doesNotExist();
    }

    @ParameterizedTest(name = "task: {0}")
    @MethodSource("taskCases")
    void taskRefusesABadEnvironment(String name, Map<String, String> env, String message) {
        Path dest = dir.resolve("task-dest-" + name.replace(' ', '-'));
        var result = Cli.run(env, "task", "--source", "duckdb:" + db, "--dest", dest.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message).hasLineCount(1);
        assertThat(dest).doesNotExist();
    }

    static Stream<Arguments> taskCases() {
        return Stream.of(
                Arguments.of("index past the count", Map.of("CLOUD_RUN_TASK_INDEX", "3", "CLOUD_RUN_TASK_COUNT", "3",
                        "CLOUD_RUN_EXECUTION", "e"), "task index 3 is outside 0..2"),
                Arguments.of("negative index", Map.of("JOB_COMPLETION_INDEX", "-2", "SPILLWAY_TASKS", "3",
                        "SPILLWAY_EXECUTION", "e"), "task index -2"),
                Arguments.of("index not a number", Map.of("AWS_BATCH_JOB_ARRAY_INDEX", "one", "SPILLWAY_TASKS", "3",
                        "AWS_BATCH_JOB_ID", "e:1"), "'one' is not a whole number"),
                Arguments.of("count zero", Map.of("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_COUNT", "0",
                        "CLOUD_RUN_EXECUTION", "e"), "at least 1"));
    }

    @Test
    void planRefusesConsistentForASourceThatCannotShareAMomentAsRunDoes() {
        var result = Cli.run("plan", "--source", "duckdb:" + db, "--tasks", "2", "--consistent");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("--consistent is not offered for duckdb:").hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"plan", "render"})
    void planAndRenderRefuseMoreTasksThanAnEngineRuns(String command) {
        var args = new java.util.ArrayList<>(java.util.List.of(command));
        if (command.equals("render")) {
            args.addAll(java.util.List.of("cloud-run", "--image", "img:1"));
        }
        args.addAll(java.util.List.of("--source", "duckdb:" + db, "--dest", "gs://bucket/x", "--tasks", "2000000000"));
        var result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("--tasks must be at most 10000").hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aDamagedPlanFailsAtOnceWithExitTwo() throws Exception {
        Path dest = dir.resolve("damaged");
        Path plan = dest.resolve(io.spillway.layout.Layout.plan("e1"));
        Files.createDirectories(plan.getParent());
        Files.writeString(plan, "{\"execution\": \"e1\", \"tasks\": ");
        long start = System.nanoTime();
        var run = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--execution", "e1");
        var task = Cli.run(Map.of("SPILLWAY_EXECUTION", "e1", "SPILLWAY_TASKS", "1", "SPILLWAY_TASK_INDEX", "0"), "task",
                "--source", "duckdb:" + db, "--dest", dest.toString());
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
        for (var result : java.util.List.of(run, task)) {
            assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
            assertThat(result.err()).contains("the plan of execution e1 at " + dest + " is damaged")
                    .contains("start a new execution").hasLineCount(1).doesNotContain("Exception");
        }
    }

    @org.junit.jupiter.api.Test
    void aTableFolderThatLinksOutOfTheDestinationIsRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path dest = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(dest.resolve("t_01"), outside);
        var result = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--max-retries", "0");
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
        assertThat(result.out()).contains("is a symbolic link to " + outside.toRealPath());
        try (var files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }
}
