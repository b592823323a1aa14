package io.spillway.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders definitions as users do ({@code spillway render ... --out DIR}) and hands them to an
 * engine's own command-line tool, hermetically: a clean environment with no credentials and every
 * endpoint and proxy on a closed loopback port, so a valid file fails at authentication or at the connection,
 * fast, and nothing leaves the machine. Runs several tool calls at once: each is a Python start-up
 * of some seconds.
 */
final class EngineTool {
    /** Sources whose definitions differ in shape: a file, a cloud warehouse, a URI held in a secret. */
    static final Map<String, List<String>> SOURCES = Map.of(
            "duckdb", List.of("--source", "duckdb:/data/warehouse.duckdb", "--dest", "s3://exports/wh"),
            "bigquery", List.of("--source", "bigquery://proj/sales?location=EU", "--dest", "gs://exports/sales",
                    "--format", "parquet", "--compression", "zstd", "--include", "orders_*,customers"),
            "postgres-secret", List.of("--source", "postgresql://exporter:s3cr3t@db.internal:5432/app?schema=shop",
                    "--dest", "s3://exports/app", "--max-file-size", "256MiB"));

    /** A closed port: where any call that gets past the tool's own checks goes, and fails at once. */
    static final String NOWHERE = "http://127.0.0.1:9";

    record Outcome(List<String> command, int code, String output) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + code + "\n" + output;
        }
    }

    private EngineTool() {}

    static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code spillway render ENGINE ARGS --out DIR}: the definitions' files in DIR. */
    static Path render(Path dir, String engine, List<String> args) throws IOException {
        Files.createDirectories(dir);
        List<String> all = new ArrayList<>(List.of("render", engine));
        all.addAll(args);
        all.addAll(List.of("--image", "europe-docker.pkg.dev/proj/repo/spillway:0.1.0", "--out", dir.toString()));
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setOut(new PrintWriter(new StringWriter()));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(all.toArray(String[]::new));
        assertThat(code).as("render %s %s: %s", engine, args, err).isZero();
        return dir;
    }

    /** The environment every tool runs in: no user's configuration, no credentials, no proxy but a dead one. */
    static Map<String, String> cleanEnvironment(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("HTTPS_PROXY", NOWHERE);
        env.put("HTTP_PROXY", NOWHERE);
        env.put("NO_PROXY", "127.0.0.1,localhost");
        return env;
    }

    /** Runs the commands at once, each bounded by {@code timeout}; the outcomes in order. */
    static List<Outcome> runAll(Path dir, Map<String, String> env, Duration timeout, List<List<String>> commands)
            throws IOException, InterruptedException {
        List<Process> started = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            Path log = dir.resolve("tool-" + i + ".log");
            ProcessBuilder pb = new ProcessBuilder(commands.get(i)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            started.add(pb.start());
            logs.add(log);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            Process p = started.get(i);
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", commands.get(i)) + " did not end within " + timeout
                        + ": it should fail fast at authentication or at the connection\n" + Files.readString(logs.get(i)));
            }
            outcomes.add(new Outcome(commands.get(i), p.exitValue(), Files.readString(logs.get(i))));
        }
        return outcomes;
    }

    /** A copy of {@code file} with the first occurrence of {@code from} replaced: a misspelt field. */
    static Path misspell(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as(file + " holds " + from).contains(from);
        Path copy = file.resolveSibling(to.replaceAll("\\W", "") + "-" + file.getFileName());
        Files.writeString(copy, text.replaceFirst(java.util.regex.Pattern.quote(from), to));
        return copy;
    }
}
