package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
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
                Arguments.of("a tasks count that is not a number", new String[] {"--tasks", "many"}, "'many'"));
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
}
