package io.spillway.source.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.spi.TableInfo;
import io.spillway.store.Stores;
import io.spillway.testing.Cli;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A whole export from real BigQuery to a real bucket, with Application Default Credentials: runs
 * only when SPILLWAY_IT_PROJECT, SPILLWAY_IT_DATASET (keep it small: every table is extracted) and
 * SPILLWAY_IT_BUCKET are set; SPILLWAY_IT_INCLUDE may narrow the tables with a glob. Everything is
 * written under a fresh {@code spillway-it/<uuid>/} prefix of the bucket and deleted afterwards.
 * The credentials need BigQuery Job User on the project, BigQuery Data Viewer on the dataset and
 * Storage Object Admin on the bucket.
 */
@EnabledIfEnvironmentVariable(named = "SPILLWAY_IT_PROJECT", matches = ".+")
@EnabledIfEnvironmentVariable(named = "SPILLWAY_IT_DATASET", matches = ".+")
@EnabledIfEnvironmentVariable(named = "SPILLWAY_IT_BUCKET", matches = ".+")
class BigQueryLiveTest {
    @Test
    void exportsTheDatasetToTheBucketWithTwoTasks() throws Exception {
        String source = "bigquery://" + System.getenv("SPILLWAY_IT_PROJECT") + "/" + System.getenv("SPILLWAY_IT_DATASET");
        String dest = "gs://" + System.getenv("SPILLWAY_IT_BUCKET") + "/spillway-it/" + UUID.randomUUID();
        String include = System.getenv().getOrDefault("SPILLWAY_IT_INCLUDE", "*");
        List<TableInfo> tables;
        try (BigQuerySource s = BigQuerySource.open(source, System.getenv())) {
            tables = s.tables().stream().filter(t -> java.nio.file.FileSystems.getDefault()
                    .getPathMatcher("glob:" + include).matches(java.nio.file.Path.of(t.name()))).toList();
        }
        try (Store store = Stores.open(dest)) {
            try {
                Cli.Result run = Cli.run(Map.of(), "run", "--source", source, "--dest", dest, "--tasks", "2",
                        "--parallelism", "2", "--include", include, "--task-timeout", "30m");

                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                for (TableInfo t : tables) {
                    Manifest m = Json.read(store.read(Layout.manifest(t.name())).orElseThrow(
                            () -> new AssertionError("no manifest for " + t.name())), Manifest.class, "manifest");
                    assertThat(m.rows()).as("rows of %s", t.name()).isIn(-1L, t.estimatedRows());
                    List<StoredObject> objects = store.list(Layout.tableDir(t.name()));
                    for (Manifest.File f : m.files()) {
                        String path = Layout.tableDir(t.name()) + f.name();
                        assertThat(objects).as("files of %s", t.name()).contains(new StoredObject(path, f.bytes()));
                        assertThat(store.crc32c(path)).hasValue(f.crc32c());
                    }
                }
                assertThat(store.list(Layout.STATE + "/staging/")).isEmpty();
            } finally {
                store.deleteAll("");
            }
        }
    }
}
