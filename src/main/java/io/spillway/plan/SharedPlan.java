package io.spillway.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spillway.job.Json;
import io.spillway.publish.Layout;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.Unit;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The plan of an execution as the tasks share it: the first task to get there stores its plan
 * with a create-if-absent write; every other task reads that copy, so all agree even if tables
 * appear or vanish in the meantime.
 */
public final class SharedPlan {
    private SharedPlan() {}

    /**
     * The stored plan of {@code execution}, if any. A stored plan that cannot be read is a
     * {@link JobException}: every task and every retry would read the same bytes.
     */
    public static Optional<Plan> find(Store store, String execution) throws IOException {
        Optional<byte[]> stored = store.read(Layout.plan(execution));
        try {
            return stored.map(b -> Json.read(b, Plan.class, "the plan of execution " + execution));
        } catch (ExportException e) {
            String why = e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new JobException("the plan of execution " + execution + " at " + store.uri() + " is damaged ("
                    + why.lines().findFirst().orElse("") + "): start a new execution, or delete "
                    + Layout.execution(execution) + " there to plan this one again", e);
        }
    }

    /** The stored plan of {@code execution}, or a new one made from {@code units} and stored. */
    public static Plan loadOrCreate(Store store, String execution, int tasks, String fingerprint,
            Callable<List<Unit>> units) throws Exception {
        Optional<Plan> stored = find(store, execution);
        if (stored.isEmpty()) {
            Plan plan = new Plan(execution, Instant.now(), tasks, fingerprint, Planner.assign(units.call(), tasks));
            if (store.createIfAbsent(Layout.plan(execution), Json.write(plan))) {
                return plan;
            }
            stored = find(store, execution); // another task stored its plan first: use that one
        }
        Plan plan = stored.orElseThrow(() -> new IOException("the plan of execution " + execution + " vanished"));
        if (plan.tasks() != tasks) {
            throw new JobException("execution " + execution + " was planned for " + plan.tasks()
                    + " tasks but this task says there are " + tasks + ": start a new execution or fix the task count");
        }
        if (!plan.fingerprint().equals(fingerprint)) {
            throw new JobException("execution " + execution + " was planned for a different job (source, format or"
                    + " options changed): start a new execution");
        }
        return plan;
    }
}
