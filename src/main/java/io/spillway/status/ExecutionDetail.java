package io.spillway.status;

import io.spillway.engine.TaskStatus;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.publish.UnitRecord;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.spi.Unit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One execution with everything the HTML report draws: its status, its plan, the status of every
 * attempt of every task that wrote one (earlier attempts from the history a retry keeps, see
 * {@code engine.AttemptHistory}) and the record of every committed unit.
 */
public record ExecutionDetail(ExecutionStatus status, Plan plan, List<TaskStatus> attempts, List<UnitRecord> units) {
    public ExecutionDetail {
        attempts = List.copyOf(attempts);
        units = List.copyOf(units);
    }

    /** Reads {@code execution} at {@code store}; fails as {@link StatusReader#execution} does when there is none. */
    public static ExecutionDetail read(Store store, String execution) throws IOException {
        ExecutionStatus status = new StatusReader(store).execution(execution);
        Plan plan = Json.read(store.read(Layout.plan(execution)).orElseThrow(), Plan.class,
                "the plan of execution " + execution);
        Map<String, TaskStatus> attempts = new TreeMap<>();
        for (StoredObject o : store.list(Layout.taskAttempts(execution))) {
            store.read(o.path()).map(b -> Json.read(b, TaskStatus.class, o.path()))
                    .ifPresent(s -> attempts.put(s.task() + "/" + s.attempt(), s));
        }
        for (int t = 0; t < plan.tasks(); t++) {
            store.read(Layout.taskStatus(execution, t)).map(b -> Json.read(b, TaskStatus.class, "task status"))
                    .ifPresent(s -> attempts.put(s.task() + "/" + s.attempt(), s));
        }
        List<UnitRecord> units = new ArrayList<>();
        for (var a : plan.assignments()) {
            Unit u = a.unit();
            String path = Layout.unitRecord(execution, u.table(), u.part());
            Optional<byte[]> record = store.read(path);
            record.ifPresent(b -> units.add(Json.read(b, UnitRecord.class, path)));
        }
        List<TaskStatus> sorted = new ArrayList<>(attempts.values());
        sorted.sort(Comparator.comparingInt(TaskStatus::task).thenComparingInt(TaskStatus::attempt));
        return new ExecutionDetail(status, plan, sorted, units);
    }
}
