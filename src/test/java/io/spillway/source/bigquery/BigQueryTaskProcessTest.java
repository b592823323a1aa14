package io.spillway.source.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.store.gcs.FakeGcsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spillway task} as its own OS process, with nothing in its environment but what Cloud Run
 * and the original job set (and the fakes' endpoints): a task killed while its extract jobs run,
 * then retried, and the original job's variables alone.
 */
class BigQueryTaskProcessTest {
    private static final String PROJECT = "spillway-test";

    private static FakeGcsServer gcs;
    private static FakeBigQueryServer bq;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        gcs = FakeGcsServer.start();
        bq = FakeBigQueryServer.start(gcs);
    }

    @AfterAll
    static void stop() {
        bq.close();
        gcs.close();
    }

    /** The original job's variables, Cloud Run's for one task, and where the fakes are. */
    static Map<String, String> originalJob(String dataset, String bucket, String execution, int task, int tasks,
            int attempt) {
        Map<String, String> env = new HashMap<>(BigQueryExportTest.cloudRun(execution, task, tasks, attempt));
        env.put("CLOUD_RUN_JOB", "export");
        env.put("PROJECT_ID", PROJECT);
        env.put("SOURCE_DATASET", dataset);
        env.put("DESTINATION_BUCKET", bucket);
        env.put("SPILLWAY_BIGQUERY_ENDPOINT", bq.endpoint().toString());
        env.put("SPILLWAY_GCS_ENDPOINT", gcs.endpoint().toString());
        return env;
    }

    static Process task(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.spillway.cli.Main", "task"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.environment().putAll(env);
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int exitCode(Process p, Path log) throws Exception {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the task did not end in time:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    private static List<String> jobsOf(String execution) {
        return bq.created().stream().filter(id -> id.startsWith("spillway_" + execution + "_")).toList();
    }

    @Test
    void aTaskKilledAfterSubmittingItsJobsIsRetriedAndReattachesToTheSameJobs() throws Exception {
        gcs.createBucket("killed");
        TestDataset data = TestDataset.create(bq, PROJECT, "killed", 6);
        bq.hold();
        try {
            Path log0 = dir.resolve("killed-0.log");
            Process first = task(originalJob("killed", "killed", "killed-1", 0, 1, 0), log0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (jobsOf("killed-1").size() < 6 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(first.isAlive()).as(Files.readString(log0)).isTrue();
            assertThat(jobsOf("killed-1")).as(Files.readString(log0)).hasSize(6);
            first.destroyForcibly().waitFor();
        } finally {
            bq.release();
        }
        List<String> submitted = jobsOf("killed-1");
        assertThat(gcs.names("killed", "")).as("nothing published by the killed attempt").allMatch(n -> n.startsWith("_spillway/"));

        Path log1 = dir.resolve("killed-1.log");
        Process retry = task(originalJob("killed", "killed", "killed-1", 0, 1, 1), log1);

        assertThat(exitCode(retry, log1)).as(Files.readString(log1)).isZero();
        assertThat(jobsOf("killed-1")).as("no job was started twice").containsExactlyElementsOf(submitted);
        for (String id : submitted) {
            assertThat(bq.inserts(id)).as("inserts of %s", id).isEqualTo(2);
        }
        assertThat(Files.readString(log1)).contains("already exists");
        for (String table : data.tables.keySet()) {
            data.assertExported(gcs, "killed", "", table);
        }
    }

    @Test
    void theOriginalJobsVariablesAloneExportTheDatasetToTheBucket() throws Exception {
        gcs.createBucket("original");
        TestDataset data = TestDataset.create(bq, PROJECT, "original", 10);
        List<Process> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(task(originalJob("original", "original", "original-1", i, 3, 0), dir.resolve("original-" + i + ".log")));
        }
        for (int i = 0; i < 3; i++) {
            Path log = dir.resolve("original-" + i + ".log");
            assertThat(exitCode(tasks.get(i), log)).as(Files.readString(log)).isZero();
        }
        for (String table : data.tables.keySet()) {
            data.assertExported(gcs, "original", "", table);
            assertThat(gcs.names("original", table + "/")).contains(table + "/" + table + "_000000000000.csv");
        }
        assertThat(jobsOf("original-1")).hasSize(10);
    }
}
