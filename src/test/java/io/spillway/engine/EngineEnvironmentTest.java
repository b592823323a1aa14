package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.engine.EngineEnvironment.Overrides;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine facts that {@code spillway render} and the log format rely on. */
class EngineEnvironmentTest {
    private static final Overrides NONE = new Overrides(null, null, null, null);

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
