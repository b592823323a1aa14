package io.spillway.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.cli.Main;
import io.spillway.config.JobConfig;
import io.spillway.engine.TaskContext;
import io.spillway.engine.Tasks;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.store.Exports;
import io.spillway.store.Stores;
import io.spillway.store.TaskProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Whole exports to GCS through the real client and {@link FakeGcsServer}: several task processes,
 * the versioned layout with --keep, and a task killed in the middle of an upload then retried.
 */
class GcsExportTest {
    private static final String BUCKET = "exports";

    @TempDir
    static Path dir;

    private static FakeGcsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = FakeGcsServer.start();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void exportsThirtyTablesOnSevenTaskProcesses() throws Exception {
        Path db = Exports.warehouse(Files.createTempDirectory(dir, "wh"), 60_000, 26);
        String dest = server.dest(BUCKET, "several") + "&chunk-size=1MiB";
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine(Map.of());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));

        int code = cli.execute("run", "--source", "duckdb:" + db, "--dest", dest, "--tasks", "7",
                "--parallelism", "2", "--max-file-size", "4MiB");

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("Exported 30 tables");
        try (Store store = Stores.open(dest, Map.of())) {
            Exports.assertExported(store, db, dir);
            assertThat(store.list(Layout.STATE + "/staging/")).isEmpty();
        }
        assertThat(server.requests()).anyMatch(r -> r.contains("/rewriteTo/"))
                .anyMatch(r -> r.contains("uploadType=resumable")).anyMatch(r -> r.contains("ifGenerationMatch=0"));
    }

    @Test
    void versionedRunsPointTheManifestAtTheCurrentRunAndKeepTheNewestOlderOnes() throws Exception {
        Path db = Exports.warehouse(Files.createTempDirectory(dir, "wh"), 20_000, 0);
        String dest = server.dest(BUCKET, "versioned");
        JobConfig config = new JobConfig("duckdb:" + db, dest, Format.CSV, Compression.GZIP, 64 << 10, 0,
                List.of(), List.of(), JobConfig.Versioning.VERSIONED, 2, 1, 0, Duration.ofMinutes(5), 1).validate();
        try (Store store = Stores.open(dest, Map.of())) {
            for (String execution : List.of("v1", "v2", "v3")) {
                for (int task = 0; task < 2; task++) {
                    Tasks.run(config, new TaskContext(task, 2, 0, execution, "local"));
                }
                Manifest manifest = manifest(store, "orders");
                assertThat(manifest.execution()).isEqualTo(execution);
                assertThat(manifest.files()).allSatisfy(f -> assertThat(f.name()).startsWith("run=" + execution + "/"));
            }
            assertThat(runs(store, "orders")).containsExactly("v2", "v3");
            assertThat(runs(store, "empty_table")).containsExactly("v2", "v3");
            // the run kept for readers who started before the swap is still whole
            Manifest previous = Json.read(store.read(Layout.run("orders", "v2") + Layout.MANIFEST).orElseThrow(),
                    Manifest.class, "run manifest");
            for (Manifest.File f : previous.files()) {
                assertThat(store.list(Layout.tableDir("orders") + f.name()))
                        .containsExactly(new StoredObject(Layout.tableDir("orders") + f.name(), f.bytes()));
            }
        }
    }

    @Test
    void theRunCommandHandsLayoutAndKeepToItsTaskProcesses() throws Exception {
        Path db = Exports.warehouse(Files.createTempDirectory(dir, "wh"), 2_000, 0);
        String dest = server.dest(BUCKET, "keep-zero");
        for (String execution : List.of("k1", "k2")) {
            var result = io.spillway.testing.Cli.run("run", "--source", "duckdb:" + db, "--dest", dest, "--tasks", "2",
                    "--parallelism", "2", "--layout", "versioned", "--keep", "0", "--execution", execution);
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        }
        try (Store store = Stores.open(dest, Map.of())) {
            assertThat(runs(store, "orders")).containsExactly("k2");
            Exports.assertExported(store, db, dir);
        }
        var wrong = io.spillway.testing.Cli.run("run", "--source", "duckdb:" + db, "--dest", dest, "--keep", "2");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--keep applies to --layout versioned");
    }

    @Test
    void aTaskKilledMidUploadIsRetriedAndLeavesNothingPartial() throws Exception {
        Path db = Exports.warehouse(Files.createTempDirectory(dir, "wh"), 300_000, 0);
        String dest = server.dest(BUCKET, "killed") + "&chunk-size=1MiB";
        Map<String, String> env = new HashMap<>(Map.of("SPILLWAY_SOURCE", "duckdb:" + db, "SPILLWAY_DEST", dest,
                "SPILLWAY_TASKS", "1", "SPILLWAY_EXECUTION", "killed-1", "SPILLWAY_ATTEMPT", "0"));
        try (Store store = Stores.open(dest, Map.of())) {
            int before = server.requests().size();
            TaskProcess first = TaskProcess.start(env, dir.resolve("gcs-killed-0.log"), "task");
            awaitChunks(first, before, "/upload/storage/v1/b/" + BUCKET, 3);
            first.kill();
            assertThat(server.openUploads()).as("the resumable upload the kill cut short").isPositive();
            assertThat(store.list(Layout.tableDir("orders"))).as("the table folder after the kill").isEmpty();

            env.put("SPILLWAY_ATTEMPT", "1");
            TaskProcess retry = TaskProcess.start(env, dir.resolve("gcs-killed-1.log"), "task");
            assertThat(retry.waitFor(300)).as(retry.output()).isZero();

            Exports.assertExported(store, db, dir);
            assertThat(store.list(Layout.STATE + "/staging/")).isEmpty();
        }
    }

    private static void awaitChunks(TaskProcess task, int before, String upload, int chunks) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && task.process().isAlive()) {
            var requests = server.requests();
            long sent = requests.subList(before, requests.size()).stream().filter(r -> r.startsWith("PUT " + upload))
                    .count();
            if (sent >= chunks) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no resumable upload was seen in progress:\n" + task.output());
    }

    private static Manifest manifest(Store store, String table) throws Exception {
        return Json.read(store.read(Layout.manifest(table)).orElseThrow(), Manifest.class, "manifest");
    }

    private static List<String> runs(Store store, String table) throws Exception {
        TreeSet<String> runs = new TreeSet<>();
        for (StoredObject o : store.list(Layout.runs(table))) {
            String rest = o.path().substring(Layout.runs(table).length());
            runs.add(rest.substring(0, rest.indexOf('/')));
        }
        return List.copyOf(runs);
    }
}
