package io.spillway.engine;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.spi.Store;
import java.io.IOException;
import java.util.Optional;

/**
 * Keeps the statuses of earlier attempts: a task's status file holds its latest attempt, so a
 * retry first copies the status it is about to replace to {@code attempts/<task>/<attempt>.json}.
 * A first attempt writes nothing extra; a retry one small object. The report draws every attempt
 * from them.
 */
final class AttemptHistory {
    private AttemptHistory() {}

    static void keepPrevious(Store store, String execution, int task, int attempt) throws IOException {
        if (attempt == 0) {
            return;
        }
        Optional<byte[]> previous = store.read(Layout.taskStatus(execution, task));
        if (previous.isEmpty()) {
            return;
        }
        TaskStatus status = Json.read(previous.get(), TaskStatus.class, "the status of task " + task);
        if (status.attempt() < attempt) {
            store.write(Layout.taskAttempt(execution, task, status.attempt()), previous.get());
        }
    }
}
