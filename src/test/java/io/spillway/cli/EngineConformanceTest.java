package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.spi.Unit;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs whole executions as separate {@code spillway task} processes, each with exactly the
 * environment its engine gives a task: the engine's own variables, plus the SPILLWAY_* variables
 * taken from the definition {@code spillway render} makes for that engine. Each execution
 * includes a retry or a duplicate, and must end with every table exported once, every JSON log
 * line well formed, and {@code spillway status} saying so.
 */
class EngineConformanceTest {
    private static final int TASKS = 3;
    private static final ObjectMapper YAML = new YAMLMapper();

    @TempDir
    static Path dir;

    private static Path warehouse;
    private static final Map<String, Long> rowsByTable = new LinkedHashMap<>();
    private static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void warehouse() throws Exception {
        warehouse = dir.resolve("warehouse.duckdb");
        DemoCommand.create(warehouse, 0.2);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
                Statement s = c.createStatement();
                ResultSet tables = s.executeQuery("SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY 1")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String t : names) {
                try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM " + t)) {
                    r.next();
                    rowsByTable.put(t, r.getLong(1));
                }
            }
        }
    }

    @AfterAll
    static void stopLeftovers() {
        started.forEach(Process::destroyForcibly); // only if an assertion failed midway
    }

    @Test
    void cloudRunRetriesAStoppedTaskAndRidesOutAMigration() throws Exception {
        Path dest = dir.resolve("cloud-run");
        String execution = "spillway-x7k2p";
        Map<String, String> job = renderedEnvironment("cloud-run", dest);
        Map<String, String> engine = Map.of("CLOUD_RUN_JOB", "spillway", "CLOUD_RUN_EXECUTION", execution,
                "CLOUD_RUN_TASK_COUNT", Integer.toString(TASKS));

        Task first = start(dest, "cr-0-0", job, engine, Map.of("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_ATTEMPT", "0"));
        waitFor(() -> committed(dest, execution, 0) >= 1);
        first.process.destroy(); // SIGTERM, as Cloud Run sends at a task timeout or a cancel
        assertThat(first.exit()).as("a stopped task fails its attempt").isNotZero();
        JsonNode stopped = statusJson(dest, execution);
        JsonNode task0 = stopped.at("/execution/tasks/0");
        assertThat(task0.get("state").asText()).isEqualTo("FAILED");
        assertThat(task0.get("error").asText()).isEqualTo("stopped by SIGTERM");
        int committedBeforeRetry = committed(dest, execution, 0);
        assertThat(committedBeforeRetry).isBetween(1, plan(dest, execution).unitsOf(0).size() - 1);

        Task retry = start(dest, "cr-0-1", job, engine, Map.of("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_ATTEMPT", "1"));
        Task one = start(dest, "cr-1-0", job, engine, Map.of("CLOUD_RUN_TASK_INDEX", "1", "CLOUD_RUN_TASK_ATTEMPT", "0"));
        Task two = start(dest, "cr-2-0", job, engine, Map.of("CLOUD_RUN_TASK_INDEX", "2", "CLOUD_RUN_TASK_ATTEMPT", "0"));
        waitFor(() -> committed(dest, execution, 2) >= 1 || !two.process.isAlive());
        signal(two.process, "TSTP"); // Cloud Run's notice of a live migration, then the resume
        signal(two.process, "CONT");
        assertThat(retry.exit()).isZero();
        assertThat(one.exit()).isZero();
        assertThat(two.exit()).isZero();

        assertThat(retry.logMessages()).anyMatch(m -> m.startsWith("Skipped ") && m.contains("committed by attempt 0"));
        assertThat(retry.logMessages()).anyMatch(m -> m.contains(committedBeforeRetry + " skipped"));
        assertThat(first.logMessages()).anyMatch(m -> m.startsWith("Stopped by SIGTERM"));
        assertThat(two.logMessages()).anyMatch(m -> m.startsWith("Cloud Run will migrate this task"));
        assertExported(dest, execution);
        JsonNode status = statusJson(dest, execution);
        assertThat(status.at("/execution/tasks/0/attempt").asInt()).isEqualTo(1);
        assertLogs(List.of(first, retry, one, two), execution);
    }

    @Test
    void kubernetesIndexedJobConvergesWithADuplicatedIndex() throws Exception {
        Path dest = dir.resolve("kubernetes");
        String uid = UUID.randomUUID().toString(); // the Job's uid, from the pod's controller-uid label
        Map<String, String> job = renderedEnvironment("kubernetes", dest);
        assertThat(job).containsEntry("SPILLWAY_TASKS", Integer.toString(TASKS));
        job.put("SPILLWAY_EXECUTION", uid);
        job.put("SPILLWAY_ATTEMPT", ""); // the failure-count annotation is absent on a first try
        Map<String, String> engine = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            tasks.add(start(dest, "k8s-" + i, job, engine, Map.of("JOB_COMPLETION_INDEX", Integer.toString(i),
                    "HOSTNAME", "spillway-abcde-" + i + "-x1y2z")));
        }
        // the replacement pod of index 1, started while the first one still runs
        tasks.add(start(dest, "k8s-1-copy", job, engine, Map.of("JOB_COMPLETION_INDEX", "1",
                "HOSTNAME", "spillway-abcde-1-q9w8e")));
        for (Task t : tasks) {
            assertThat(t.exit()).as(t::describe).isZero();
        }
        assertExported(dest, uid);
        assertLogs(tasks, uid);
    }

    @Test
    void awsBatchArrayJobRetriesAStoppedChild() throws Exception {
        Path dest = dir.resolve("aws-batch");
        String parent = UUID.randomUUID().toString();
        Map<String, String> job = renderedEnvironment("aws-batch", dest);
        assertThat(job).containsEntry("SPILLWAY_TASKS", Integer.toString(TASKS));
        Map<String, String> engine = Map.of("AWS_BATCH_CE_NAME", "spillway-ce", "AWS_BATCH_JQ_NAME", "spillway");

        Task first = start(dest, "aws-2-1", job, engine, child(parent, 2, 1));
        waitFor(() -> committed(dest, parent, 2) >= 1);
        first.process.destroy();
        assertThat(first.exit()).isNotZero();

        List<Task> tasks = List.of(start(dest, "aws-0-1", job, engine, child(parent, 0, 1)),
                start(dest, "aws-1-1", job, engine, child(parent, 1, 1)),
                start(dest, "aws-2-2", job, engine, child(parent, 2, 2)));
        for (Task t : tasks) {
            assertThat(t.exit()).as(t::describe).isZero();
        }
        assertExported(dest, parent);
        assertThat(statusJson(dest, parent).at("/execution/tasks/2/attempt").asInt())
                .as("AWS_BATCH_JOB_ATTEMPT 2 is the second try, attempt 1").isEqualTo(1);
        List<Task> all = new ArrayList<>(tasks);
        all.add(first);
        assertLogs(all, parent);
    }

    @Test
    void aWrongJobEndsWithOneStructuredErrorRecord() throws Exception {
        var r = io.spillway.testing.Cli.run(Map.of("CLOUD_RUN_JOB", "spillway", "CLOUD_RUN_EXECUTION", "spillway-b4d",
                "CLOUD_RUN_TASK_INDEX", "1", "CLOUD_RUN_TASK_ATTEMPT", "0", "CLOUD_RUN_TASK_COUNT", "2",
                "SPILLWAY_SOURCE", "duckdb:" + dir.resolve("missing.duckdb"), "SPILLWAY_DEST", dir.resolve("x").toString()),
                "task");
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_JOB.code);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode record = Json.MAPPER.readTree(lines.get(0));
        assertThat(record.get("severity").asText()).isEqualTo("ERROR");
        assertThat(record.get("message").asText()).contains("missing.duckdb").endsWith("(exit code 2)");
        assertThat(record.has("stack_trace")).as("a wrong job is fixed from the message").isFalse();
        JsonNode labels = record.get("logging.googleapis.com/labels");
        assertThat(labels.get("execution").asText()).isEqualTo("spillway-b4d");
        assertThat(labels.get("task").asText()).isEqualTo("1");
        assertThat(labels.get("attempt").asText()).isEqualTo("0");
        assertThat(io.spillway.log.LogFormat.current()).as("the format was set for that command only")
                .isEqualTo(io.spillway.log.LogFormat.TEXT);
    }

    private static Map<String, String> child(String parent, int index, int attempt) {
        return Map.of("AWS_BATCH_JOB_ARRAY_INDEX", Integer.toString(index), "AWS_BATCH_JOB_ID", parent + ":" + index,
                "AWS_BATCH_JOB_ATTEMPT", Integer.toString(attempt));
    }

    /** The plain SPILLWAY_* variables of the definition rendered for {@code engine}. */
    private static Map<String, String> renderedEnvironment(String engine, Path dest) throws IOException {
        StringWriter out = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(new StringWriter()));
        int code = cmd.execute("render", engine, "--source", "duckdb:" + warehouse, "--dest", dest.toString(),
                "--image", "spillway:test", "--tasks", Integer.toString(TASKS));
        assertThat(code).isZero();
        List<JsonNode> lists = new ArrayList<>();
        switch (engine) {
            case "cloud-run" -> lists.add(YAML.readTree(out.toString())
                    .at("/spec/template/spec/template/spec/containers/0/env"));
            case "kubernetes" -> lists.add(YAML.readTree(out.toString()).at("/spec/template/spec/containers/0/env"));
            default -> {
                JsonNode both = Json.MAPPER.readTree(out.toString());
                lists.add(both.at("/jobDefinition/containerProperties/environment"));
                lists.add(both.at("/submitJob/containerOverrides/environment"));
            }
        }
        Map<String, String> env = new HashMap<>();
        for (JsonNode list : lists) {
            for (JsonNode v : list) {
                if (v.has("value")) {
                    env.put(v.get("name").asText(), v.get("value").asText());
                }
            }
        }
        assertThat(env).containsEntry("SPILLWAY_SOURCE", "duckdb:" + warehouse)
                .containsEntry("SPILLWAY_DEST", dest.toString());
        return env;
    }

    private static Task start(Path dest, String name, Map<String, String> job, Map<String, String> engine,
            Map<String, String> task) throws IOException {
        Path logs = Files.createDirectories(dest.resolveSibling(dest.getFileName() + "-logs"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.spillway.cli.Main", "task");
        Map<String, String> env = pb.environment();
        env.clear(); // exactly what the engine gives, and a container's basics
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", logs.toString());
        env.putAll(job);
        env.putAll(engine);
        env.putAll(task);
        Task t = new Task(name, logs.resolve(name + ".out"), logs.resolve(name + ".err"),
                pb.redirectOutput(logs.resolve(name + ".out").toFile()).redirectError(logs.resolve(name + ".err").toFile())
                        .start());
        started.add(t.process);
        return t;
    }

    private record Task(String name, Path stdout, Path stderr, Process process) {
        int exit() throws Exception {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(name + " ends").isTrue();
            return process.exitValue();
        }

        /** The task's name and the end of its output, to say why it failed. */
        String describe() {
            try {
                List<String> out = Files.readAllLines(stdout, StandardCharsets.UTF_8);
                return name + ", last lines of its log:\n" + String.join("\n", out.subList(Math.max(0, out.size() - 8),
                        out.size())) + "\n" + Files.readString(stderr);
            } catch (IOException e) {
                return name + " (its log is unreadable: " + e.getMessage() + ")";
            }
        }

        List<JsonNode> logLines() throws IOException {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                lines.add(Json.MAPPER.readTree(line));
            }
            return lines;
        }

        List<String> logMessages() throws IOException {
            return logLines().stream().map(l -> l.path("message").asText()).toList();
        }
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 90 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static Plan plan(Path dest, String execution) throws IOException {
        return Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
    }

    /** How many of the task's units have a unit record; 0 until the plan is stored. */
    private static int committed(Path dest, String execution, int task) {
        if (!Files.exists(dest.resolve(Layout.plan(execution)))) {
            return 0;
        }
        try {
            int n = 0;
            for (Unit u : plan(dest, execution).unitsOf(task)) {
                n += Files.exists(dest.resolve(Layout.unitRecord(execution, u.table(), u.part()))) ? 1 : 0;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Every table once, complete, with nothing else in its folder and nothing left in staging. */
    private static void assertExported(Path dest, String execution) throws IOException {
        for (var e : rowsByTable.entrySet()) {
            Path folder = dest.resolve(Layout.tableDir(e.getKey()));
            Manifest m = Json.read(Files.readAllBytes(folder.resolve(Layout.MANIFEST)), Manifest.class, "manifest");
            assertThat(m.execution()).isEqualTo(execution);
            assertThat(m.rows()).as(e.getKey()).isEqualTo(e.getValue());
            List<String> names;
            try (Stream<Path> files = Files.list(folder)) {
                names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Layout.MANIFEST)).sorted().toList();
            }
            assertThat(names).containsExactlyElementsOf(m.files().stream().map(Manifest.File::name).sorted().toList());
            for (Manifest.File f : m.files()) {
                assertThat(Files.size(folder.resolve(f.name()))).isEqualTo(f.bytes());
            }
        }
        Path staging = dest.resolve(Layout.staging(execution));
        if (Files.exists(staging)) {
            try (Stream<Path> left = Files.walk(staging)) {
                assertThat(left.filter(Files::isRegularFile).toList())
                        .as("staged files left, even the scratch file of the stopped attempt").isEmpty();
            }
        }
        JsonNode status = statusJson(dest, execution);
        JsonNode summary = status.at("/execution/summary");
        assertThat(summary.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(summary.get("tablesPublished").asInt()).isEqualTo(rowsByTable.size());
        long rows = 0;
        for (JsonNode t : status.at("/execution/tasks")) {
            assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(t.get("unitsCommitted").asInt()).isEqualTo(t.get("units").asInt());
            rows += t.get("rows").asLong();
        }
        assertThat(rows).isEqualTo(rowsByTable.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Every stdout line is a JSON log record with a severity and the task's labels; stderr stays empty. */
    private static void assertLogs(List<Task> tasks, String execution) throws IOException {
        for (Task t : tasks) {
            assertThat(Files.readString(t.stderr)).as(t.name + " stderr").isEmpty();
            List<JsonNode> lines = t.logLines();
            assertThat(lines).as(t.name).isNotEmpty();
            for (JsonNode line : lines) {
                assertThat(line.path("severity").asText()).isIn("DEBUG", "INFO", "WARNING", "ERROR");
                assertThat(line.path("message").asText()).isNotEmpty();
                assertThat(line.path("time").asText()).isNotEmpty();
                JsonNode labels = line.path("logging.googleapis.com/labels");
                assertThat(labels.path("execution").asText()).as(line.toString()).isEqualTo(execution);
                assertThat(labels.path("task").asText()).as(line.toString()).matches("\\d+");
                assertThat(labels.path("attempt").asText()).as(line.toString()).matches("\\d+");
                if (labels.has("unit")) {
                    assertThat(labels.path("table").asText()).isNotEmpty();
                }
            }
            assertThat(lines).as(t.name + " labels a unit's lines with table and unit")
                    .anyMatch(l -> l.path("logging.googleapis.com/labels").has("unit"));
        }
    }

    private static JsonNode statusJson(Path dest, String execution) throws IOException {
        StringWriter out = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setOut(new PrintWriter(out));
        assertThat(cmd.execute("status", "--dest", dest.toString(), "--execution", execution, "--json")).isZero();
        return Json.MAPPER.readTree(out.toString());
    }

}
