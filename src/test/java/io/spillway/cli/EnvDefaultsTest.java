package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.testing.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options from the environment, including the variables of the Cloud Run job Spillway replaces. */
class EnvDefaultsTest {
    private static ExportOptions parse(Map<String, String> env, String... args) {
        var result = Main.commandLine(env).parseArgs(args);
        return ((TaskCommand) result.subcommand().commandSpec().userObject()).export;
    }

    @Test
    void theOriginalJobsVariablesNameTheSourceAndTheDestination() {
        ExportOptions o = parse(Map.of("PROJECT_ID", "my-project", "SOURCE_DATASET", "sales",
                "DESTINATION_BUCKET", "my-exports"), "task");
        assertThat(o.source).isEqualTo("bigquery://my-project/sales");
        assertThat(o.dest).isEqualTo("gs://my-exports");
        assertThat(parse(Map.of("DESTINATION_BUCKET", "gs://my-exports/daily"), "task").dest)
                .isEqualTo("gs://my-exports/daily");
    }

    @Test
    void spillwaysOwnVariablesAndFlagsWin() {
        Map<String, String> env = Map.of("PROJECT_ID", "my-project", "SOURCE_DATASET", "sales",
                "DESTINATION_BUCKET", "my-exports", "SPILLWAY_DEST", "gs://other/x");
        assertThat(parse(env, "task").dest).isEqualTo("gs://other/x");
        assertThat(parse(env, "task", "--source", "duckdb:w.duckdb").source).isEqualTo("duckdb:w.duckdb");
        assertThat(parse(Map.of("PROJECT_ID", "my-project"), "task").source).as("no dataset, no source").isNull();
    }

    @Test
    void noSnapshotComesFromItsVariableToo() {
        assertThat(parse(Map.of(), "task").noSnapshot).isFalse();
        assertThat(parse(Map.of("SPILLWAY_NO_SNAPSHOT", "true"), "task").noSnapshot).isTrue();
        assertThat(parse(Map.of(), "task", "--no-snapshot").noSnapshot).isTrue();
    }

    @Test
    void consistentComesFromItsVariableToo() {
        assertThat(parse(Map.of(), "task").consistent).isFalse();
        assertThat(parse(Map.of("SPILLWAY_CONSISTENT", "true"), "task").consistent).isTrue();
        assertThat(parse(Map.of(), "task", "--consistent").consistent).isTrue();
    }

    @Test
    void aMissingSourceSaysWhichVariablesCanNameIt() {
        Cli.Result r = Cli.run(Map.of("SPILLWAY_DEST", "/tmp/x"), "task");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("PROJECT_ID and SOURCE_DATASET");
    }
}
