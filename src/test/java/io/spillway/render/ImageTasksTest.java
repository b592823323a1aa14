package io.spillway.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.spi.Store;
import io.spillway.store.Exports;
import io.spillway.store.Stores;
import io.spillway.store.gcs.FakeGcsServer;
import io.spillway.store.s3.S3Server;
import io.spillway.testing.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image run as each engine runs tasks, with podman: the engine's variables (taken from
 * the definitions {@code spillway render} writes, plus what the engine sets itself), its user, file
 * system and memory restrictions, and its way of stopping a task (SIGTERM, then SIGKILL after the
 * grace period). Every table is read back from the destination and checked exact. Runs only when
 * {@code -Dspillway.image=IMAGE} names a built image: {@code e2e/run} builds it and runs this class.
 */
class ImageTasksTest {
    private static final String IMAGE = System.getProperty("spillway.image", "");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static S3Server s3;
    private static FakeGcsServer gcs;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(!IMAGE.isBlank(), "no -Dspillway.image: e2e/run builds the image with podman and runs this class");
        s3 = S3Server.inMemory();
        s3.createBucket("exports");
        gcs = FakeGcsServer.start();
        gcs.createBucket("exports");
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
            gcs.close();
        }
    }

    /** {@code podman run} of one task; {@code mounts} are HOST:CONTAINER[:ro]. */
    private record Task(String name, Process process, Path log) {
        int waitFor(long seconds) throws Exception {
            assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as(name + " ended within " + seconds + " s\n"
                    + Files.readString(log)).isTrue();
            return process.exitValue();
        }

        String output() throws IOException {
            return Files.readString(log);
        }
    }

    private static Task run(String name, Map<String, String> env, List<String> flags, List<String> mounts)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", "runc", "run", "--rm", "--name", name,
                "--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"));
        cmd.addAll(flags);
        env.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
        mounts.forEach(m -> cmd.addAll(List.of("-v", m)));
        cmd.addAll(List.of(IMAGE, "task"));
        Path log = work.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Task(name, p, log);
    }

    private static void podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", "runc"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }

    /** The plain variables of a rendered definition's container; secrets and field references by {@code resolve}. */
    private static Map<String, String> renderedEnv(JsonNode envList, Map<String, String> resolve) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode v : envList) {
            String name = v.get("name").asText();
            env.put(name, v.has("value") ? v.get("value").asText() : resolve.get(name));
        }
        return env;
    }

    private static Path writableDir(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    private static Path warehouse(String name, long orderRows) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Path db = Exports.warehouse(dir, orderRows, 4);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        return db;
    }

    @Test
    void cloudRunTasksWithADuplicateIndexAndARetryExportEveryTableExactly() throws Exception {
        Path db = warehouse("cloud-run-src", 20_000);
        Path out = writableDir("cloud-run-out");
        Path defs = EngineTool.render(work.resolve("cloud-run-defs"), "cloud-run", List.of("--source",
                "duckdb:/data/source.duckdb", "--dest", "/out", "--tasks", "3", "--memory", "1Gi", "--region", "europe-west1"));
        JsonNode container = YAML.readTree(defs.resolve("cloud-run-job.yaml").toFile()).at("/spec/template/spec/template/spec/containers/0");
        Map<String, String> env = renderedEnv(container.get("env"), Map.of());
        env.putAll(Map.of("CLOUD_RUN_JOB", "spillway", "CLOUD_RUN_EXECUTION", "spillway-e2e01", "CLOUD_RUN_TASK_COUNT", "3"));
        List<String> flags = List.of("--memory", container.at("/resources/limits/memory").asText().replace("Gi", "g"));
        List<String> mounts = List.of(db.getParent() + ":/data:ro", out + ":/out");
        List<Task> tasks = new ArrayList<>();
        for (String index : List.of("0", "1", "1", "2")) {
            Map<String, String> e = new HashMap<>(env);
            e.putAll(Map.of("CLOUD_RUN_TASK_INDEX", index, "CLOUD_RUN_TASK_ATTEMPT", "0"));
            tasks.add(run("cr-" + index + "-" + tasks.size(), e, flags, mounts));
        }
        for (Task t : tasks) {
            assertThat(t.waitFor(120)).as(t.output()).isZero();
        }
        Map<String, String> retry = new HashMap<>(env);
        retry.putAll(Map.of("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_ATTEMPT", "1"));
        Task again = run("cr-0-retry", retry, flags, mounts);
        assertThat(again.waitFor(120)).as(again.output()).isZero();
        try (Store store = Stores.open(out.toString())) {
            Exports.assertExported(store, db, work);
        }
    }

    /**
     * Cloud Run's default task memory, 512 MiB, and a DuckDB table larger than that: DuckDB fills its memory limit with
     * the pages it reads, and under the fixed 1GB of before the kernel killed such a task (exit code 137, retried in
     * vain). Its default now follows the container's memory (docs/formats.md, DuckDB sources).
     */
    @Test
    void aCloudRunTaskOfTheDefaultMemoryExportsADuckDbTableLargerThanItsMemory() throws Exception {
        Path dir = Files.createDirectories(work.resolve("small-src"));
        Path db = dir.resolve("source.duckdb");
        long rows = 5_000_000;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute(Warehouse.wideTable(rows));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.size(db)).as("a table larger than the task's memory").isGreaterThan(512L << 20);
        Path out = writableDir("small-out");
        Path defs = EngineTool.render(work.resolve("small-defs"), "cloud-run", List.of("--source",
                "duckdb:/data/source.duckdb", "--dest", "/out", "--tasks", "1", "--memory", "512Mi", "--region", "europe-west1"));
        JsonNode container = YAML.readTree(defs.resolve("cloud-run-job.yaml").toFile()).at("/spec/template/spec/template/spec/containers/0");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
        Map<String, String> env = renderedEnv(container.get("env"), Map.of());
        env.putAll(Map.of("CLOUD_RUN_JOB", "spillway", "CLOUD_RUN_EXECUTION", "spillway-e2e-small", "CLOUD_RUN_TASK_COUNT",
                "1", "CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_ATTEMPT", "0"));
        Task task = run("cr-small", env, List.of("--memory", "512m", "--memory-swap", "512m"),
                List.of(dir + ":/data:ro", out + ":/out"));

        assertThat(task.waitFor(300)).as(task.output()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM read_csv('" + out
                        + "/big/*.csv', header = true)")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(rows);
            assertThat(r.getLong(2)).isEqualTo(rows);
        }
    }

    @Test
    void kubernetesPodsFromTheRenderedManifestExportPostgresToS3() throws Exception {
        String schema = "e2e_k8s_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".items AS SELECT i AS id, 'item ' || i AS name, (i * 1.25)::numeric(12,2)"
                    + " AS price, CASE WHEN i % 9 = 0 THEN NULL ELSE timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' END"
                    + " AS updated FROM generate_series(1, 30000) i");
            s.execute("CREATE TABLE " + schema + ".empty_one (id int primary key, note text)");
            s.execute("CREATE TABLE " + schema + ".notes AS SELECT i AS id, E'line\\n\"quoted\", ünï ' || i AS note"
                    + " FROM generate_series(1, 500) i");
        }
        try { // the schema goes away with the test, whatever its outcome
            // trust authentication: any password is accepted, and a password makes the manifest use a Secret
            String source = "postgresql://postgres:not-a-real-password@127.0.0.1:5432/test?schema=" + schema;
            String dest = s3.dest("exports", "k8s-" + schema);
            Path defs = EngineTool.render(work.resolve("k8s-defs"), "kubernetes", List.of("--source", source, "--dest", dest,
                    "--tasks", "2", "--memory", "768Mi"));
            JsonNode pod = YAML.readTree(defs.resolve("kubernetes-job.yaml").toFile()).at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
            String uid = UUID.randomUUID().toString();
            // the Secret's key, the Job's uid label, and no failure-count annotation on a first try: ""
            Map<String, String> env = renderedEnv(container.get("env"),
                    Map.of("SPILLWAY_SOURCE", source, "SPILLWAY_EXECUTION", uid, "SPILLWAY_ATTEMPT", ""));
            env.putAll(s3.env());
            env.put("KUBERNETES_SERVICE_HOST", "10.0.0.1");
            String user = pod.at("/securityContext/runAsUser").asText() + ":" + pod.at("/securityContext/runAsGroup").asText();
            List<String> flags = List.of("--user", user, "--read-only", "--tmpfs", "/tmp:rw,size=512m,mode=1777",
                    "--memory", container.at("/resources/limits/memory").asText().replace("Mi", "m"),
                    "--cap-drop", "ALL", "--security-opt", "no-new-privileges");
            List<Task> tasks = new ArrayList<>();
            for (String index : List.of("0", "1")) {
                Map<String, String> e = new HashMap<>(env);
                e.put("JOB_COMPLETION_INDEX", index);
                tasks.add(run("k8s-" + index, e, flags, List.of()));
            }
            for (Task t : tasks) {
                assertThat(t.waitFor(120)).as(t.output()).isZero();
                assertThat(t.output()).as("JSON logs under Kubernetes").contains("\"severity\":\"INFO\"");
            }
            Path reference = Files.createDirectories(work.resolve("k8s-reference"));
            io.spillway.source.jdbc.Exports.run(io.spillway.source.jdbc.Exports.config(source, reference, 1, 1L << 30,
                    1L << 30, List.of()));
            try (Store store = Stores.open(dest, s3.env())) {
                for (String table : List.of("items", "empty_one", "notes")) {
                    assertThat(sorted(rows(store, table))).as(table).isEqualTo(sorted(io.spillway.source.jdbc.Exports.read(reference, table)));
                }
                assertThat(rows(store, "items")).as("header and rows").hasSize(30_001);
            }
        } finally {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void awsBatchArrayChildrenExportMariaDbToGcs() throws Exception {
        String database = "e2e_batch_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            s.execute("USE " + database); // the seq_1_to_N tables of the Sequence engine are in every database
            s.execute("CREATE TABLE " + database + ".orders (id BIGINT PRIMARY KEY, customer VARCHAR(50), total DECIMAL(10,2),"
                    + " placed DATETIME(3))");
            s.execute("INSERT INTO " + database + ".orders SELECT seq, CONCAT('customer ', seq % 97), seq * 0.5,"
                    + " TIMESTAMP '2024-03-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_20000");
            s.execute("CREATE TABLE " + database + ".empty_one (id INT PRIMARY KEY)");
        }
        try { // the database goes away with the test, whatever its outcome
            String source = "mariadb://root@127.0.0.1:3306/" + database;
            String dest = "gs://exports/batch-" + database;
            Path defs = EngineTool.render(work.resolve("batch-defs"), "aws-batch", List.of("--source", source, "--dest", dest,
                    "--tasks", "2", "--memory", "1Gi", "--job-queue", "exports"));
            JsonNode definition = Json.MAPPER.readTree(defs.resolve("aws-batch-job-definition.json").toFile());
            JsonNode submission = Json.MAPPER.readTree(defs.resolve("aws-batch-submit-job.json").toFile());
            Map<String, String> env = renderedEnv(definition.at("/containerProperties/environment"), Map.of());
            env.putAll(renderedEnv(submission.at("/containerOverrides/environment"), Map.of()));
            env.put("STORAGE_EMULATOR_HOST", gcs.endpoint().getHost() + ":" + gcs.endpoint().getPort());
            String parent = UUID.randomUUID().toString();
            long memoryMiB = 0;
            for (JsonNode r : definition.at("/containerProperties/resourceRequirements")) {
                if (r.get("type").asText().equals("MEMORY")) {
                    memoryMiB = r.get("value").asLong();
                }
            }
            List<Task> tasks = new ArrayList<>();
            for (int index = 0; index < submission.at("/arrayProperties/size").asInt(); index++) {
                Map<String, String> e = new HashMap<>(env);
                e.putAll(Map.of("AWS_BATCH_JOB_ID", parent + ":" + index, "AWS_BATCH_JOB_ARRAY_INDEX", Integer.toString(index),
                        "AWS_BATCH_JOB_ATTEMPT", "1", "AWS_BATCH_JQ_NAME", "exports", "AWS_BATCH_CE_NAME", "ec2"));
                tasks.add(run("batch-" + index, e, List.of("--memory", memoryMiB + "m"), List.of()));
            }
            assertThat(tasks).hasSize(2);
            for (Task t : tasks) {
                assertThat(t.waitFor(120)).as(t.output()).isZero();
            }
            Path reference = Files.createDirectories(work.resolve("batch-reference"));
            io.spillway.source.jdbc.Exports.run(io.spillway.source.jdbc.Exports.config(source, reference, 1, 1L << 30,
                    1L << 30, List.of()));
            try (Store store = Stores.open(dest, Map.of("STORAGE_EMULATOR_HOST", env.get("STORAGE_EMULATOR_HOST")))) {
                for (String table : List.of("orders", "empty_one")) {
                    assertThat(sorted(rows(store, table))).as(table).isEqualTo(sorted(io.spillway.source.jdbc.Exports.read(reference, table)));
                }
            }
        } finally {
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    @Test
    void aTaskStoppedAsEnginesStopItLeavesNothingHalfDoneAndItsRetryFinishes() throws Exception {
        Path db = warehouse("stop-src", 1_500_000);
        Path out = writableDir("stop-out");
        stopAndRetry("stop-local", db, "/out", List.of(out + ":/out"), Map.of(), out.toString(), Map.of());
        stopAndRetry("stop-s3", db, s3.dest("exports", "stopped"), List.of(), s3.env(), s3.dest("exports", "stopped"),
                s3.env());
    }

    private static void stopAndRetry(String name, Path db, String dest, List<String> destMounts, Map<String, String> destEnv,
            String hostDest, Map<String, String> hostEnv) throws Exception {
        Map<String, String> env = new HashMap<>(destEnv);
        env.putAll(Map.of("CLOUD_RUN_JOB", "spillway", "CLOUD_RUN_EXECUTION", name, "CLOUD_RUN_TASK_COUNT", "1",
                "CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_ATTEMPT", "0", "SPILLWAY_SOURCE", "duckdb:/data/source.duckdb",
                "SPILLWAY_DEST", dest, "SPILLWAY_SPLIT_SIZE", "8MiB"));
        List<String> mounts = new ArrayList<>(List.of(db.getParent() + ":/data:ro"));
        mounts.addAll(destMounts);
        Task task = run(name, env, List.of("--memory", "1g"), mounts);
        for (int i = 0; i < 600 && !task.output().contains("Exported"); i++) {
            Thread.sleep(50);
        }
        assertThat(task.output()).as("a unit committed before the stop").contains("Exported");
        long stopping = System.nanoTime();
        podman("stop", "-t", "10", name);
        int code = task.waitFor(30);
        double seconds = (System.nanoTime() - stopping) / 1e9;
        assertThat(seconds).as("stopped within the 10 s grace period").isLessThan(10);
        assertThat(code).as("SIGTERM ends the attempt as failed, not killed: " + task.output()).isNotZero().isNotEqualTo(137);
        assertThat(task.output()).contains("SIGTERM");
        System.out.printf("%s: stopped %.1f s after SIGTERM, exit %d%n", name, seconds, code);
        try (Store store = Stores.open(hostDest, hostEnv)) {
            for (String table : Exports.tables(db)) {
                // published whole or not at all
                store.read(Layout.manifest(table)).ifPresent(m -> {
                    try {
                        Manifest manifest = Json.read(m, Manifest.class, "manifest");
                        assertThat(manifest.rows()).isEqualTo(Warehouse.count(db, table));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            }
        }
        Map<String, String> retry = new HashMap<>(env);
        retry.put("CLOUD_RUN_TASK_ATTEMPT", "1");
        Task again = run(name + "-retry", retry, List.of("--memory", "1g"), mounts);
        assertThat(again.waitFor(300)).as(again.output()).isZero();
        assertThat(again.output()).as("the retry skips what the stopped attempt committed").containsIgnoringCase("skip");
        try (Store store = Stores.open(hostDest, hostEnv)) {
            Exports.assertExported(store, db, work);
        }
    }

    @Test
    void aTaskKilledWhileUploadingLeavesNoVisiblePartialObject() throws Exception {
        Path db = warehouse("kill-src", 1_500_000);
        String dest = s3.dest("exports", "killed");
        Map<String, String> env = new HashMap<>(s3.env());
        env.putAll(Map.of("CLOUD_RUN_JOB", "spillway", "CLOUD_RUN_EXECUTION", "killed", "CLOUD_RUN_TASK_COUNT", "1",
                "CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_ATTEMPT", "0", "SPILLWAY_SOURCE", "duckdb:/data/source.duckdb",
                "SPILLWAY_DEST", dest, "SPILLWAY_SPLIT_SIZE", "64MiB"));
        List<String> mounts = List.of(db.getParent() + ":/data:ro");
        Task task = run("killed", env, List.of("--memory", "1g"), mounts);
        try (Store store = Stores.open(dest, s3.env())) {
            // killed once the upload of the large table has begun: its first part is on the server
            for (int i = 0; i < 600 && !task.output().contains("orders"); i++) {
                Thread.sleep(50);
            }
            Thread.sleep(1500);
            podman("kill", "--signal", "KILL", "killed");
            assertThat(task.waitFor(30)).isEqualTo(137);
            assertThat(store.read(Layout.manifest("orders"))).as("orders not published").isEmpty();
            assertThat(store.list("")).as("no object of the unfinished upload is visible")
                    .allMatch(o -> !o.path().contains("orders/") || o.path().contains("/_") || o.size() > 0);
            Map<String, String> retry = new HashMap<>(env);
            retry.put("CLOUD_RUN_TASK_ATTEMPT", "1");
            Task again = run("killed-retry", retry, List.of("--memory", "1g"), mounts);
            assertThat(again.waitFor(300)).as(again.output()).isZero();
            Exports.assertExported(store, db, work);
        }
    }

    /** The header, then the rows in a fixed order: tasks may split a table differently from the reference run. */
    private static List<List<String>> sorted(List<List<String>> records) {
        List<List<String>> rows = new ArrayList<>(records.subList(1, records.size()));
        rows.sort(java.util.Comparator.comparing(List::toString));
        rows.add(0, records.get(0));
        return rows;
    }

    /** The published records of {@code table}, in file order, one header row as the reference run has. */
    private static List<List<String>> rows(Store store, String table) throws Exception {
        Manifest manifest = Json.read(store.read(Layout.manifest(table)).orElseThrow(
                () -> new AssertionError("no manifest for " + table)), Manifest.class, "manifest");
        List<List<String>> all = new ArrayList<>();
        for (Manifest.File f : manifest.files()) {
            try (InputStream in = store.open(Layout.tableDir(table) + f.name())) {
                List<List<String>> records = io.spillway.source.jdbc.Exports.parse(in.readAllBytes());
                all.addAll(all.isEmpty() ? records : records.subList(Math.min(1, records.size()), records.size()));
            }
        }
        return all;
    }
}
