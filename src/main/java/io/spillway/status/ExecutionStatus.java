package io.spillway.status;

import java.time.Instant;
import java.util.List;

/**
 * What one execution at a destination did, as its stored plan, task statuses, unit records and
 * published markers tell: the console view of an execution.
 */
public record ExecutionStatus(Summary summary, List<Task> tasks, List<Table> tables, List<Skipped> skipped) {
    public ExecutionStatus {
        tasks = List.copyOf(tasks);
        tables = List.copyOf(tables);
        skipped = List.copyOf(skipped);
    }

    public ExecutionStatus(Summary summary, List<Task> tasks, List<Table> tables) {
        this(summary, tasks, tables, List.of());
    }

    /** A table the plan left out ({@code --skip-unchanged}, {@code --cursor}): why, and the marker and mark it read. */
    public record Skipped(String table, String why, String marker, String mark) {}

    public enum State {
        /** Every task succeeded and every table is published. */
        SUCCEEDED,
        /** A task is running (or was killed too hard to say otherwise). */
        RUNNING,
        /** A task's last attempt failed and none is running. */
        FAILED,
        /** Some tasks have not started, or have no status. */
        INCOMPLETE
    }

    /** One line of the list of executions. */
    public record Summary(String execution, Instant plannedAt, State state, int tasks, int tasksSucceeded,
            int tables, int tablesPublished, int units, int unitsCommitted) {}

    /**
     * One task: its last attempt's state, start, duration and error; units, rows and bytes from
     * the committed records of its units, whichever attempt committed them. {@code state} is
     * PENDING and the attempt fields are null when the task has written no status yet.
     */
    public record Task(int task, String state, Integer attempt, int units, int unitsCommitted, long rows,
            long bytes, Instant startedAt, Double seconds, String error) {}

    /** One table: rows, bytes and files of its published export, or of its units committed so far. */
    public record Table(String table, boolean published, int units, int unitsCommitted, long rows, long bytes,
            int files) {}
}
