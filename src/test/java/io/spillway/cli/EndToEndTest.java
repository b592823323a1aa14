package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 30 tables on 1, 7, 30 and 45 tasks: every table exported exactly once, equal to its source. */
class EndToEndTest {
    @TempDir
    static Path dir;
    static Path db;
    static List<String> tables;

    @BeforeAll
    static void warehouse() throws Exception {
        db = dir.resolve("warehouse.duckdb");
        tables = Warehouse.create(db, 30);
    }

    @ParameterizedTest(name = "spillway run with {0} tasks")
    @ValueSource(ints = {1, 7, 30, 45})
    void runExportsEveryTableOnce(int tasks) throws Exception {
        Path dest = dir.resolve("run-" + tasks);
        var result = Cli.run("run", "--source", "duckdb:" + db, "--dest", dest.toString(), "--tasks", Integer.toString(tasks),
                "--parallelism", "2", "--execution", "run-" + tasks);
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("Exported 30 tables").contains("SUCCEEDED").doesNotContain("FAILED");
        assertEveryTableOnce(dest, "run-" + tasks);
    }

    @ParameterizedTest(name = "{0} separate task processes with Cloud Run's environment")
    @ValueSource(ints = {1, 7, 30, 45})
    void cloudRunTasksExportEveryTableOnce(int tasks) throws Exception {
        Path dest = dir.resolve("cloud-run-" + tasks);
        String execution = "spillway-job-" + tasks + "x";
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Process>> processes = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            Map<String, String> env = new HashMap<>();
            env.put("CLOUD_RUN_JOB", "spillway-job");
            env.put("CLOUD_RUN_EXECUTION", execution);
            env.put("CLOUD_RUN_TASK_INDEX", Integer.toString(i));
            env.put("CLOUD_RUN_TASK_ATTEMPT", "0");
            env.put("CLOUD_RUN_TASK_COUNT", Integer.toString(tasks));
            env.put("SPILLWAY_SOURCE", "duckdb:" + db);
            env.put("SPILLWAY_DEST", dest.toString());
            processes.add(pool.submit(() -> {
                Process p = Processes.task(env, dir.resolve("log-" + execution + "-" + env.get("CLOUD_RUN_TASK_INDEX")));
                p.waitFor(5, TimeUnit.MINUTES);
                return p;
            }));
        }
        int idle = 0;
        for (int i = 0; i < tasks; i++) {
            Process p = processes.get(i).get();
            String log = Files.readString(dir.resolve("log-" + execution + "-" + i));
            assertThat(p.exitValue()).as("task %d: %s", i, log).isZero();
            if (log.contains("has no units")) {
                idle++;
            }
        }
        pool.shutdown();
        assertThat(idle).isEqualTo(Math.max(0, tasks - 30));
        assertEveryTableOnce(dest, execution);
    }

    static void assertEveryTableOnce(Path dest, String execution) throws Exception {
        try (Stream<Path> folders = Files.list(dest)) {
            assertThat(folders.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Layout.STATE)))
                    .containsExactlyInAnyOrderElementsOf(tables);
        }
        try (Stream<Path> records = Files.walk(dest.resolve(Layout.execution(execution) + "units"))) {
            assertThat(records.filter(Files::isRegularFile).count()).isEqualTo(tables.size());
        }
        for (String table : tables) {
            Manifest m = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
            assertThat(m.table()).isEqualTo(table);
            assertThat(m.execution()).isEqualTo(execution);
            assertThat(m.rows()).as(table).isEqualTo(Warehouse.count(db, table));
            List<Path> files = Warehouse.files(dest, table);
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .containsExactlyElementsOf(m.files().stream().map(Manifest.File::name).toList());
            assertThat(Warehouse.differences(db, table, files)).as(table).isZero();
        }
        assertThat(dest.resolve(Layout.staging(execution))).doesNotExist();
    }
}
