package io.spillway.source.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.format.AvroFiles;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.store.gcs.FakeGcsServer;
import io.spillway.testing.Cli;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole executions of {@code spillway task} with Cloud Run's environment, the tasks running at
 * once in this JVM, through the real BigQuery and GCS clients against their fakes.
 */
class BigQueryExportTest {
    private static final String PROJECT = "spillway-test";
    private static final String BUCKET = "exports";

    private static FakeGcsServer gcs;
    private static FakeBigQueryServer bq;

    @BeforeAll
    static void start() throws Exception {
        gcs = FakeGcsServer.start();
        gcs.createBucket(BUCKET);
        bq = FakeBigQueryServer.start(gcs);
    }

    @AfterAll
    static void stop() {
        bq.close();
        gcs.close();
    }

    /**
     * Cloud Run's task variables, but CLOUD_RUN_JOB: it switches the process's logs to JSON, a choice
     * global to the JVM that tasks running at once in this one would race on.
     */
    static Map<String, String> cloudRun(String execution, int task, int tasks, int attempt) {
        Map<String, String> env = new HashMap<>();
        env.put("CLOUD_RUN_EXECUTION", execution);
        env.put("CLOUD_RUN_TASK_INDEX", Integer.toString(task));
        env.put("CLOUD_RUN_TASK_COUNT", Integer.toString(tasks));
        env.put("CLOUD_RUN_TASK_ATTEMPT", Integer.toString(attempt));
        return env;
    }

    /** Runs every task of an execution at once (10 at a time) and returns their results by index. */
    static List<Cli.Result> runTasks(int tasks, Map<String, String> job, String execution, String... args)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(tasks, 10));
        try {
            List<Future<Cli.Result>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                Map<String, String> env = cloudRun(execution, i, tasks, 0);
                env.putAll(job);
                futures.add(pool.submit(() -> Cli.run(env, prepend("task", args))));
            }
            List<Cli.Result> results = new ArrayList<>();
            for (Future<Cli.Result> f : futures) {
                results.add(f.get(5, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @ParameterizedTest(name = "{0} tables on {1} tasks")
    @CsvSource({"30, 3", "30, 30", "30, 45", "10, 30"})
    void everyTableIsExportedExactlyOnceWhateverTheTaskCount(int tables, int tasks) throws Exception {
        String name = "d" + tables + "_on_" + tasks;
        TestDataset data = TestDataset.create(bq, PROJECT, name, tables);
        String execution = "exec-" + tables + "-" + tasks;
        String prefix = "out-" + tables + "-" + tasks;
        Map<String, String> job = Map.of("SPILLWAY_SOURCE", bq.source(PROJECT, name),
                "SPILLWAY_DEST", gcs.dest(BUCKET, prefix));

        List<Cli.Result> results = runTasks(tasks, job, execution);

        for (int i = 0; i < tasks; i++) {
            assertThat(results.get(i).exitCode()).as("task %d: %s", i, results.get(i).err()).isZero();
        }
        for (String table : data.tables.keySet()) {
            data.assertExported(gcs, BUCKET, prefix, table);
            List<String> jobs = bq.created().stream().filter(id -> id.startsWith("spillway_" + execution + "_" + table + "_"))
                    .toList();
            assertThat(jobs).as("extract jobs of %s", table).hasSize(1);
            assertThat(bq.inserts(jobs.get(0))).isEqualTo(1);
        }
        assertThat(gcs.names(BUCKET, prefix + "/" + Layout.STATE + "/staging/")).isEmpty();
    }

    @Test
    void oneTaskStartsAllItsExtractJobsBeforeWaitingForAny() throws Exception {
        TestDataset data = TestDataset.create(bq, PROJECT, "together", 8);
        Map<String, String> env = cloudRun("together-1", 0, 1, 0);
        env.put("SPILLWAY_SOURCE", bq.source(PROJECT, "together"));
        env.put("SPILLWAY_DEST", gcs.dest(BUCKET, "together"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        bq.hold();
        try {
            Future<Cli.Result> task = pool.submit(() -> Cli.run(env, "task"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (jobsOf("together-1").size() < 8 && !task.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(jobsOf("together-1")).as("jobs running at once").hasSize(8);
            assertThat(task.isDone()).isFalse();
            bq.release();
            assertThat(task.get(2, TimeUnit.MINUTES).exitCode()).isZero();
        } finally {
            bq.release();
            pool.shutdownNow();
        }
        for (String table : data.tables.keySet()) {
            data.assertExported(gcs, BUCKET, "together", table);
        }
    }

    @Test
    void everyTableOfAnExecutionIsReadAsOfThePlansTime() throws Exception {
        TestDataset data = TestDataset.create(bq, PROJECT, "moment", 4);
        Map<String, String> job = Map.of("SPILLWAY_SOURCE", bq.source(PROJECT, "moment"),
                "SPILLWAY_DEST", gcs.dest(BUCKET, "moment"));
        Map<String, String> first = cloudRun("moment-1", 0, 2, 0);
        first.putAll(job);
        assertThat(Cli.run(first, "task").exitCode()).isZero(); // plans, and exports its half
        Plan plan = Json.read(gcs.get(BUCKET, "moment/" + Layout.plan("moment-1")).orElseThrow(), Plan.class, "plan");
        String later = plan.unitsOf(1).get(0).table();
        Thread.sleep(5);
        bq.replaceRows(PROJECT, "moment", later, TestDataset.rows(2, 7)); // changed after the plan

        Map<String, String> second = cloudRun("moment-1", 1, 2, 0);
        second.putAll(job);
        assertThat(Cli.run(second, "task").exitCode()).isZero();

        assertThat(jobsOf("moment-1")).hasSize(4).extracting(id -> bq.extract(id).get("sourceTable").get("tableId").asText())
                .allMatch(t -> t.endsWith("@" + plan.createdAt().toEpochMilli()));
        for (String table : data.tables.keySet()) {
            data.assertExported(gcs, BUCKET, "moment", table, !table.equals(later)); // the old rows of the changed one
        }
    }

    @Test
    void partitionByIsRefusedBeforeAnyExtractJobStarts() throws Exception {
        TestDataset.create(bq, PROJECT, "parts", 2);
        Cli.Result run = Cli.run(Map.of(), "run", "--source", bq.source(PROJECT, "parts"), "--dest",
                gcs.dest(BUCKET, "parts"), "--partition-by", "*=id", "--execution", "parts-1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.err()).contains("--partition-by *=id: bigquery://" + PROJECT + "/parts exports on its own server,"
                + " which cannot split a table by value").hasLineCount(1);
        assertThat(jobsOf("parts-1")).isEmpty();
    }

    @Test
    void runWithNoSnapshotReadsLiveTablesInItsTaskProcesses() throws Exception {
        TestDataset data = TestDataset.create(bq, PROJECT, "live", 3);
        Map<String, String> env = Map.of();
        Cli.Result run = Cli.run(env, "run", "--source", bq.source(PROJECT, "live"), "--dest", gcs.dest(BUCKET, "live"),
                "--tasks", "2", "--parallelism", "2", "--no-snapshot", "--execution", "live-1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(jobsOf("live-1")).hasSize(3).allMatch(id -> !bq.extract(id).get("sourceTable").get("tableId")
                .asText().contains("@"));
        for (String table : data.tables.keySet()) {
            data.assertExported(gcs, BUCKET, "live", table);
        }
    }

    @Test
    void anAvroExportIsPublishedWithManifestsThatCountEveryRowOfItsContainers() throws Exception {
        TestDataset data = TestDataset.create(bq, PROJECT, "avro", 7);
        Map<String, String> job = Map.of("SPILLWAY_SOURCE", bq.source(PROJECT, "avro"),
                "SPILLWAY_DEST", gcs.dest(BUCKET, "avro"));

        List<Cli.Result> results = runTasks(2, job, "avro-1", "--format", "avro");

        assertThat(results).allSatisfy(r -> assertThat(r.exitCode()).as(r.err()).isZero());
        for (var table : data.tables.entrySet()) {
            String dir = "avro/" + Layout.tableDir(table.getKey());
            Manifest m = Json.read(gcs.get(BUCKET, dir + Layout.MANIFEST).orElseThrow(), Manifest.class, "manifest");
            assertThat(m.format()).isEqualTo("avro");
            assertThat(m.compression()).isEqualTo("snappy");
            assertThat(m.rows()).isEqualTo(table.getValue().size());
            List<List<Object>> read = new ArrayList<>();
            for (Manifest.File f : m.files()) {
                assertThat(f.name()).matches(table.getKey() + "_\\d{12}\\.avro");
                AvroFiles.Read file = AvroFiles.read(gcs.get(BUCKET, dir + f.name()).orElseThrow());
                assertThat(file.codec()).isEqualTo("snappy");
                read.addAll(file.rows());
            }
            assertThat(read).as("rows of %s", table.getKey()).containsExactlyElementsOf(table.getValue());
        }
        assertThat(jobsOf("avro-1")).hasSize(7)
                .allMatch(id -> bq.extract(id).get("useAvroLogicalTypes").asBoolean());
    }

    private static List<String> jobsOf(String execution) {
        return bq.created().stream().filter(id -> id.startsWith("spillway_" + execution + "_")).toList();
    }
}
