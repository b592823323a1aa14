package io.spillway.engine;

import io.spillway.layout.Layout;
import io.spillway.spi.JobException;

/**
 * Who this task is: its index among {@code count} tasks, its attempt (0 on the first try) and
 * the execution it belongs to, as the engine that runs it says.
 */
public record TaskContext(int index, int count, int attempt, String execution, String engine) {
    public TaskContext {
        if (count < 1) {
            throw new JobException("the task count must be at least 1, not " + count);
        }
        if (index < 0 || index >= count) {
            throw new JobException("task index " + index + " is outside 0.." + (count - 1) + " for " + count + " tasks");
        }
        if (attempt < 0) {
            throw new JobException("the attempt must not be negative, not " + attempt);
        }
        Layout.checkExecution(execution);
    }
}
