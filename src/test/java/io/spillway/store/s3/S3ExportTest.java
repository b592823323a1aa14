package io.spillway.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Layout;
import io.spillway.spi.Store;
import io.spillway.store.Exports;
import io.spillway.store.Stores;
import io.spillway.store.TaskProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Whole exports to an S3-compatible server (S3Proxy on loopback, objects on disk) by real task
 * processes: several tasks at once, and a task killed in the middle of an upload then retried.
 */
class S3ExportTest {
    private static final String BUCKET = "exports";

    @TempDir
    static Path dir;

    private static S3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.onDisk(java.nio.file.Files.createDirectories(dir.resolve("s3")));
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void exportsThirtyTablesOnSevenTaskProcesses() throws Exception {
        Path db = Exports.warehouse(java.nio.file.Files.createTempDirectory(dir, "wh"), 120_000, 26);
        String dest = server.dest(BUCKET, "several") + "&part-size=5MiB";

        TaskProcess run = TaskProcess.start(server.env(), dir.resolve("several.log"), "run", "--source",
                "duckdb:" + db, "--dest", dest, "--tasks", "7", "--parallelism", "2", "--max-file-size", "12MiB");

        assertThat(run.waitFor(600)).as(run.output()).isZero();
        assertThat(run.output()).contains("Exported 30 tables");
        try (Store store = Stores.open(dest, server.env())) {
            Exports.assertExported(store, db, dir);
            assertThat(store.list(Layout.STATE + "/staging/")).isEmpty();
        }
    }

    @Test
    void aTaskKilledMidUploadIsRetriedAndLeavesNothingPartial() throws Exception {
        Path db = Exports.warehouse(java.nio.file.Files.createTempDirectory(dir, "wh"), 600_000, 0);
        String dest = server.dest(BUCKET, "killed") + "&part-size=5MiB";
        Map<String, String> env = new HashMap<>(server.env());
        env.putAll(Map.of("SPILLWAY_SOURCE", "duckdb:" + db, "SPILLWAY_DEST", dest, "SPILLWAY_TASKS", "1",
                "SPILLWAY_EXECUTION", "killed-1", "SPILLWAY_ATTEMPT", "0"));
        // DuckDB writes the table into a scratch file here before it goes up: the kill leaves it behind
        Path tmp = java.nio.file.Files.createDirectories(dir.resolve("task-tmp"));
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);

        try (S3Store store = (S3Store) Stores.open(dest, server.env())) {
            TaskProcess first = TaskProcess.start(env, dir.resolve("killed-0.log"), "task");
            MultipartUpload upload = awaitUploadWithAPart(store, first);
            first.kill();
            assertThat(upload.key()).contains("/_spillway/staging/killed-1/orders/");
            assertThat(store.list(Layout.tableDir("orders"))).as("the table folder after the kill").isEmpty();
            assertThat(openUploads(store)).isNotEmpty();
            assertThat(scratchFiles(tmp)).as("the killed task's scratch file").isNotEmpty();

            env.put("SPILLWAY_ATTEMPT", "1");
            TaskProcess retry = TaskProcess.start(env, dir.resolve("killed-1.log"), "task");
            assertThat(retry.waitFor(300)).as(retry.output()).isZero();

            Exports.assertExported(store, db, dir);
            assertThat(openUploads(store)).as("uploads left after publishing").isEmpty();
            assertThat(store.list(Layout.STATE + "/staging/")).isEmpty();
            assertThat(scratchFiles(tmp)).as("scratch files after the retry: the killed task's deleted too").isEmpty();
        }
    }

    /** Spillway's files under {@code tmp} (not the DuckDB library its driver unpacks there from the test's class path). */
    private static java.util.List<Path> scratchFiles(Path tmp) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(tmp)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith("spillway-")).toList();
        }
    }

    private static MultipartUpload awaitUploadWithAPart(S3Store store, TaskProcess task) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && task.process().isAlive()) {
            for (MultipartUpload u : openUploads(store)) {
                var parts = store.client().listParts(r -> r.bucket(BUCKET).key(u.key()).uploadId(u.uploadId()));
                if (!parts.parts().isEmpty()) {
                    return u;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no multipart upload was seen in progress:\n" + task.output());
    }

    private static java.util.List<MultipartUpload> openUploads(S3Store store) {
        return store.client().listMultipartUploads(r -> r.bucket(BUCKET).prefix("killed/")).uploads();
    }
}
