package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.engine.EngineEnvironment.Overrides;
import io.spillway.spi.JobException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineEnvironmentTest {
    static final Overrides NONE = new Overrides(null, null, null, null);

    @Test
    void cloudRun() {
        var ctx = EngineEnvironment.read(Map.of("CLOUD_RUN_TASK_INDEX", "4", "CLOUD_RUN_TASK_COUNT", "30",
                "CLOUD_RUN_TASK_ATTEMPT", "2", "CLOUD_RUN_EXECUTION", "export-job-x7k2p", "CLOUD_RUN_JOB", "export-job"), NONE);
        assertThat(ctx).isEqualTo(new TaskContext(4, 30, 2, "export-job-x7k2p", "cloud-run"));
    }

    @Test
    void kubernetesIndexedJob() {
        var ctx = EngineEnvironment.read(Map.of("JOB_COMPLETION_INDEX", "9", "SPILLWAY_TASKS", "10",
                "SPILLWAY_EXECUTION", "0f6c3c1e-2f7c-4c3e-9a55-2c1d0e8b7a61"), NONE);
        assertThat(ctx).isEqualTo(new TaskContext(9, 10, 0, "0f6c3c1e-2f7c-4c3e-9a55-2c1d0e8b7a61", "kubernetes"));
    }

    @Test
    void awsBatchArrayJobAttemptsAreOneBasedAndTheIdLosesItsIndex() {
        var ctx = EngineEnvironment.read(Map.of("AWS_BATCH_JOB_ARRAY_INDEX", "3", "SPILLWAY_TASKS", "5",
                "AWS_BATCH_JOB_ATTEMPT", "2", "AWS_BATCH_JOB_ID", "6a8c3f9e-1111-2222-3333-444455556666:3"), NONE);
        assertThat(ctx).isEqualTo(new TaskContext(3, 5, 1, "6a8c3f9e-1111-2222-3333-444455556666", "aws-batch"));
    }

    @Test
    void flagsWinOverTheEnvironment() {
        var ctx = EngineEnvironment.read(Map.of("CLOUD_RUN_TASK_INDEX", "4", "CLOUD_RUN_TASK_COUNT", "30",
                "CLOUD_RUN_TASK_ATTEMPT", "0", "CLOUD_RUN_EXECUTION", "e1"), new Overrides(1, 2, 3, "e2"));
        assertThat(ctx).isEqualTo(new TaskContext(1, 2, 3, "e2", "cloud-run"));
    }

    @Test
    void aPlainContainerIsTaskZeroOfOne() {
        var ctx = EngineEnvironment.read(Map.of(), NONE);
        assertThat(ctx.index()).isZero();
        assertThat(ctx.count()).isOne();
        assertThat(ctx.execution()).matches("\\d{8}-\\d{6}-[0-9a-f]{6}");
    }

    @Test
    void invalidValuesAreJobErrors() {
        assertThatThrownBy(() -> EngineEnvironment.read(Map.of("CLOUD_RUN_TASK_INDEX", "30", "CLOUD_RUN_TASK_COUNT", "30",
                "CLOUD_RUN_EXECUTION", "e"), NONE)).isInstanceOf(JobException.class).hasMessageContaining("task index 30");
        assertThatThrownBy(() -> EngineEnvironment.read(Map.of("CLOUD_RUN_TASK_INDEX", "-1", "CLOUD_RUN_TASK_COUNT", "3",
                "CLOUD_RUN_EXECUTION", "e"), NONE)).isInstanceOf(JobException.class).hasMessageContaining("task index -1");
        assertThatThrownBy(() -> EngineEnvironment.read(Map.of("CLOUD_RUN_TASK_INDEX", "x", "CLOUD_RUN_TASK_COUNT", "3",
                "CLOUD_RUN_EXECUTION", "e"), NONE)).isInstanceOf(JobException.class).hasMessageContaining("'x' is not a whole number");
        assertThatThrownBy(() -> EngineEnvironment.read(Map.of("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_COUNT", "0",
                "CLOUD_RUN_EXECUTION", "e"), NONE)).isInstanceOf(JobException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> EngineEnvironment.read(Map.of("JOB_COMPLETION_INDEX", "0", "SPILLWAY_EXECUTION", "e"), NONE))
                .isInstanceOf(JobException.class).hasMessageContaining("SPILLWAY_TASKS");
        assertThatThrownBy(() -> EngineEnvironment.read(Map.of("JOB_COMPLETION_INDEX", "0", "SPILLWAY_TASKS", "2"), NONE))
                .isInstanceOf(JobException.class).hasMessageContaining("SPILLWAY_EXECUTION");
        assertThatThrownBy(() -> EngineEnvironment.read(Map.of(), new Overrides(0, 1, 0, "../etc")))
                .isInstanceOf(JobException.class).hasMessageContaining("execution id '../etc' is not valid");
    }

    @Test
    void kubernetesGivesAnEmptyAttemptOnAFirstTry() {
        // the downward API gives "" for the failure-count annotation until an index has failed
        TaskContext first = EngineEnvironment.read(Map.of("JOB_COMPLETION_INDEX", "2", "SPILLWAY_TASKS", "4",
                "SPILLWAY_EXECUTION", "9b1c7d2e-5f3a-4e8b-a1c2-0d9e8f7a6b5c", "SPILLWAY_ATTEMPT", ""), NONE);
        assertThat(first.attempt()).isZero();
        assertThat(first.index()).isEqualTo(2);
        TaskContext retry = EngineEnvironment.read(Map.of("JOB_COMPLETION_INDEX", "2", "SPILLWAY_TASKS", "4",
                "SPILLWAY_EXECUTION", "9b1c7d2e-5f3a-4e8b-a1c2-0d9e8f7a6b5c", "SPILLWAY_ATTEMPT", "1"), NONE);
        assertThat(retry.attempt()).isEqualTo(1);
    }

    @Test
    void anAwsBatchJobOfOneTaskIsNotAnArrayJob() {
        TaskContext c = EngineEnvironment.read(Map.of("AWS_BATCH_JOB_ID", "8f4c1e2a-0b3d-4c5e-9f6a-7b8c9d0e1f2a",
                "AWS_BATCH_JOB_ATTEMPT", "2", "SPILLWAY_TASKS", "1"), NONE);
        assertThat(c.engine()).isEqualTo("aws-batch");
        assertThat(c.index()).isZero();
        assertThat(c.attempt()).isEqualTo(1);
        assertThat(c.execution()).as("the same on every retry, so a retry resumes")
                .isEqualTo("8f4c1e2a-0b3d-4c5e-9f6a-7b8c9d0e1f2a");
    }

    @Test
    void enginesAreRecognisedForTheirLogCollectors() {
        assertThat(EngineEnvironment.underEngine(Map.of("CLOUD_RUN_JOB", "spillway"))).isTrue();
        assertThat(EngineEnvironment.underEngine(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"))).isTrue();
        assertThat(EngineEnvironment.underEngine(Map.of("AWS_BATCH_JOB_ID", "x:1"))).isTrue();
        assertThat(EngineEnvironment.underEngine(Map.of("TERM", "xterm", "CLOUD_RUN_JOB", ""))).isFalse();
    }
}
