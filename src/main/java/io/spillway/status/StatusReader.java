package io.spillway.status;

import io.spillway.engine.TaskStatus;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.publish.UnitRecord;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.spi.Unit;
import io.spillway.status.ExecutionStatus.State;
import io.spillway.status.ExecutionStatus.Summary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads the executions recorded at a destination, without writing anything. It reads what tasks
 * recorded, so a task killed without warning (SIGKILL, out of memory) still shows as RUNNING,
 * with its start time to tell.
 */
public final class StatusReader {
    private final Store store;

    public StatusReader(Store store) {
        this.store = store;
    }

    /** Every execution that has a plan, newest plan first. */
    public List<Summary> executions() throws IOException {
        Map<String, Set<String>> paths = new TreeMap<>();
        String prefix = Layout.executions();
        for (StoredObject o : store.list(prefix)) {
            String rest = o.path().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                paths.computeIfAbsent(rest.substring(0, slash), k -> new HashSet<>()).add(o.path());
            }
        }
        List<Summary> summaries = new ArrayList<>();
        for (var e : paths.entrySet()) {
            if (e.getValue().contains(Layout.plan(e.getKey()))) {
                summaries.add(read(e.getKey(), e.getValue(), false).summary());
            }
        }
        summaries.sort(Comparator.comparing(Summary::plannedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Summary::execution, Comparator.reverseOrder()));
        return summaries;
    }

    /** One execution in full: its tasks and tables. */
    public ExecutionStatus execution(String execution) throws IOException {
        Set<String> paths = store.list(Layout.execution(execution)).stream().map(StoredObject::path)
                .collect(Collectors.toSet());
        if (!paths.contains(Layout.plan(execution))) {
            throw new JobException("no execution " + execution + " at " + store.uri()
                    + ": run spillway status without --execution to list the executions there");
        }
        return read(execution, paths, true);
    }

    private ExecutionStatus read(String execution, Set<String> paths, boolean records) throws IOException {
        Plan plan = Json.read(store.read(Layout.plan(execution)).orElseThrow(), Plan.class,
                "the plan of execution " + execution);
        Map<Unit, UnitRecord> committed = new HashMap<>();
        int unitsCommitted = 0;
        for (var a : plan.assignments()) {
            String path = Layout.unitRecord(execution, a.unit().table(), a.unit().part());
            if (paths.contains(path)) {
                unitsCommitted++;
                if (records) {
                    committed.put(a.unit(), Json.read(store.read(path).orElseThrow(), UnitRecord.class, path));
                }
            }
        }
        List<ExecutionStatus.Task> tasks = new ArrayList<>();
        for (int t = 0; t < plan.tasks(); t++) {
            tasks.add(task(plan, t, paths, committed));
        }
        List<ExecutionStatus.Table> tables = new ArrayList<>();
        int published = 0;
        for (String table : plan.tables()) {
            ExecutionStatus.Table view = table(plan, table, paths, committed, records);
            tables.add(view);
            published += view.published() ? 1 : 0;
        }
        int succeeded = (int) tasks.stream().filter(t -> t.state().equals("SUCCEEDED")).count();
        State state;
        if (succeeded == plan.tasks() && published == tables.size()) {
            state = State.SUCCEEDED;
        } else if (tasks.stream().anyMatch(t -> t.state().equals("RUNNING"))) {
            state = State.RUNNING;
        } else if (tasks.stream().anyMatch(t -> t.state().equals("FAILED"))) {
            state = State.FAILED;
        } else {
            state = State.INCOMPLETE;
        }
        Summary summary = new Summary(execution, plan.createdAt(), state, plan.tasks(), succeeded, tables.size(),
                published, plan.assignments().size(), unitsCommitted);
        List<ExecutionStatus.Skipped> skipped = plan.skipped().stream()
                .map(m -> new ExecutionStatus.Skipped(m.table(), m.skipped(), m.marker(), m.mark())).toList();
        return new ExecutionStatus(summary, records ? tasks : List.of(), records ? tables : List.of(),
                records ? skipped : List.of());
    }

    private ExecutionStatus.Task task(Plan plan, int t, Set<String> paths, Map<Unit, UnitRecord> committed)
            throws IOException {
        String execution = plan.execution();
        Optional<TaskStatus> status = paths.contains(Layout.taskStatus(execution, t))
                ? store.read(Layout.taskStatus(execution, t)).map(b -> Json.read(b, TaskStatus.class, "task status"))
                : Optional.empty();
        List<Unit> units = plan.unitsOf(t);
        int done = 0;
        long rows = 0;
        long bytes = 0;
        for (Unit u : units) {
            if (paths.contains(Layout.unitRecord(execution, u.table(), u.part()))) {
                done++;
            }
            UnitRecord r = committed.get(u);
            if (r != null) {
                rows += r.rows();
                bytes += r.bytes();
            }
        }
        if (status.isEmpty()) {
            return new ExecutionStatus.Task(t, "PENDING", null, units.size(), done, rows, bytes, null, null, null);
        }
        TaskStatus s = status.get();
        return new ExecutionStatus.Task(t, s.state().name(), s.attempt(), units.size(), done, rows, bytes,
                s.startedAt(), s.finishedAt() == null ? null : s.seconds(), s.error());
    }

    private ExecutionStatus.Table table(Plan plan, String table, Set<String> paths, Map<Unit, UnitRecord> committed,
            boolean records) throws IOException {
        String execution = plan.execution();
        List<Unit> units = plan.unitsOfTable(table);
        int done = (int) units.stream()
                .filter(u -> paths.contains(Layout.unitRecord(execution, u.table(), u.part()))).count();
        String marker = Layout.published(execution, table);
        if (paths.contains(marker) && records) {
            Manifest m = Json.read(store.read(marker).orElseThrow(), Manifest.class, marker);
            return new ExecutionStatus.Table(table, true, units.size(), done, m.rows(), m.bytes(), m.files().size());
        }
        long rows = 0;
        long bytes = 0;
        int files = 0;
        for (Unit u : units) {
            UnitRecord r = committed.get(u);
            if (r != null) {
                rows += r.rows();
                bytes += r.bytes();
                files += r.files().size();
            }
        }
        return new ExecutionStatus.Table(table, paths.contains(marker), units.size(), done, rows, bytes, files);
    }
}
