package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A password holding '/', '@', ':', '?' and a %XX escape goes through every command and error path;
 * no piece of it reaches stdout, stderr, JSON logs, task logs, files at the destination, rendered
 * definitions or the command lines of task processes.
 */
class SecretsTest {
    /** As written in the URI; the server sees "pw/Zq7@Xk:AVv?e". */
    static final String RAW = "pw/Zq7@Xk:%41Vv?e";
    static final List<String> PIECES = List.of("Zq7", "AVv", "41Vv", RAW);
    static final String SCHEMA = "spillway_secrets";

    @TempDir
    static Path dir;

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".t AS SELECT g AS id, 'v' || g AS v FROM generate_series(1, 50) g");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("wrong password", "mysql://root:" + RAW + "@127.0.0.1:3306/mysql", List.of(), 2),
                Arguments.of("unreachable server", "postgresql://postgres:" + RAW + "@127.0.0.1:1/test", List.of(), 1),
                Arguments.of("port out of range", "postgresql://postgres:" + RAW + "@127.0.0.1:99999/test", List.of(), 2),
                Arguments.of("port not a number", "postgresql://postgres:" + RAW + "@127.0.0.1:54x/test", List.of(), 2),
                Arguments.of("unknown database", "postgresql://postgres:" + RAW + "@127.0.0.1:5432/no_such_db", List.of(), 2),
                Arguments.of("unknown schema", "postgresql://postgres:" + RAW + "@127.0.0.1:5432/test?schema=nope", List.of(), 2),
                Arguments.of("unknown scheme", "oracle://scott:" + RAW + "@db/x", List.of(), 2),
                Arguments.of("no scheme", "scott:" + RAW + "@db/x", List.of(), 2),
                Arguments.of("password as an option", "jdbc:mysql://127.0.0.1:3306/mysql?user=root&password="
                        + RAW.replace("?", ""), List.of(), 2),
                Arguments.of("bad format", "postgresql://postgres:" + RAW + "@127.0.0.1:5432/test", List.of("--format", "xml"), 2),
                Arguments.of("bad tasks", "postgresql://postgres:" + RAW + "@127.0.0.1:5432/test", List.of("--tasks", "0"), 2),
                Arguments.of("include matching nothing", "postgresql://postgres:" + RAW + "@127.0.0.1:5432/test?schema="
                        + SCHEMA, List.of("--include", "nothing"), 2),
                Arguments.of("credentials in the destination", "postgresql://postgres:" + RAW + "@127.0.0.1:5432/test",
                        List.of("--dest", "s3://AKIA:" + RAW + "@bucket/x"), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void everyFailureKeepsThePasswordToItself(String name, String source, List<String> extra, int exitCode) throws Exception {
        Path dest = dir.resolve("dest-" + name.replace(' ', '-'));
        for (String command : List.of("run", "plan", "task")) {
            for (String logFormat : List.of("text", "json")) {
                List<String> args = new ArrayList<>(List.of(command, "--log-format", logFormat, "--source", source));
                if (!extra.contains("--dest")) {
                    args.addAll(List.of("--dest", dest.toString()));
                }
                args.addAll(extra);
                if (command.equals("plan") && extra.contains("--dest")) {
                    continue; // plan writes nothing and takes no destination's credentials
                }
                Map<String, String> env = command.equals("task")
                        ? Map.of("SPILLWAY_EXECUTION", "e1", "SPILLWAY_TASKS", "1", "SPILLWAY_TASK_INDEX", "0") : Map.of();
                var result = Cli.run(env, args.toArray(String[]::new));
                String what = command + " " + logFormat + ": " + result.out() + result.err();
                assertThat(result.exitCode()).as(what).isEqualTo(exitCode);
                assertNoPiece(what, result.out() + result.err());
                assertThat(result.err()).as(what).doesNotContain("\tat ");
            }
        }
        assertNoPieceIn(dest);
    }

    @Test
    void aWholeRunWithThePasswordShowsItNowhere() throws Exception {
        String source = "postgresql://postgres:" + RAW + "@127.0.0.1:5432/test?schema=" + SCHEMA;
        Path dest = dir.resolve("run-dest");
        Set<String> commandLines = ConcurrentHashMap.newKeySet();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                ProcessHandle.current().descendants().forEach(p -> p.info().commandLine().ifPresent(commandLines::add));
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        Cli.Result result;
        try {
            result = Cli.run("run", "--log-format", "json", "--source", source, "--dest", dest.toString(),
                    "--tasks", "2", "--execution", "secrets-run", "--isolate"); // task processes: their command lines too
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("Exported 1 tables");
        assertNoPiece("run", result.out() + result.err());
        assertThat(commandLines).as("task processes were seen").isNotEmpty();
        commandLines.forEach(line -> assertNoPiece("command line", line));
        assertNoPieceIn(dest);
        assertNoPieceIn(Path.of(System.getProperty("java.io.tmpdir"), "spillway", "secrets-run"));
        var status = Cli.run("status", "--dest", dest.toString(), "--json");
        assertNoPiece("status", status.out() + status.err());
    }

    @Test
    void renderedDefinitionsReferToASecretInstead() throws Exception {
        for (String engine : List.of("cloud-run", "kubernetes", "aws-batch", "workflows")) {
            for (String source : List.of("postgresql://postgres:" + RAW + "@db:5432/test",
                    "jdbc:postgresql://db:5432/test?user=postgres&password=" + RAW.replace("?", ""))) {
                Path out = dir.resolve("render-" + engine);
                Map<String, String> env = new HashMap<>(Map.of("SPILLWAY_IMAGE", "img:1"));
                var printed = Cli.run(env, "render", engine, "--source", source, "--dest", "gs://bucket/x",
                        "--region", "europe-west1", "--execution-role", "arn:aws:iam::1:role/r");
                assertThat(printed.exitCode()).as(printed.err()).isZero();
                assertNoPiece(engine, printed.out() + printed.err());
                var written = Cli.run(env, "render", engine, "--source", source, "--dest", "gs://bucket/x",
                        "--region", "europe-west1", "--execution-role", "arn:aws:iam::1:role/r", "--out", out.toString());
                assertThat(written.exitCode()).as(written.err()).isZero();
                assertNoPiece(engine, written.out() + written.err());
                assertNoPieceIn(out);
            }
        }
    }

    static void assertNoPiece(String what, String text) {
        for (String piece : PIECES) {
            assertThat(text).as(what).doesNotContain(piece);
        }
    }

    static void assertNoPieceIn(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertNoPiece(f.toString(), Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
    }
}
