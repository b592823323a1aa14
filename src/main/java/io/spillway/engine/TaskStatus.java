package io.spillway.engine;

import java.time.Instant;

/** What one attempt of a task did, written at its start and end under the execution's state folder. */
public record TaskStatus(String execution, int task, int tasks, int attempt, State state, int units, int unitsDone,
        int unitsSkipped, long rows, long bytes, Instant startedAt, Instant finishedAt, String error) {

    public enum State { RUNNING, SUCCEEDED, FAILED }

    public double seconds() {
        Instant end = finishedAt == null ? Instant.now() : finishedAt;
        return startedAt == null ? 0 : (end.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    }
}
