package io.spillway.plan;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan.Assignment;
import io.spillway.spi.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stored plan cut into slices, so that a task reads what it needs rather than the whole plan (at
 * 100,000 tables, megabytes, read by each of thousands of tasks). A slice covers a run of consecutive
 * tasks, as many as the task count alone decides (at most {@value #MAX_SLICES} slices in all), and is
 * itself a {@link Plan}: the same execution, time, task count, fingerprint and moment; the units of its
 * tasks; every other unit of the tables those tasks export (whichever task commits a table's last unit
 * publishes it, so it must know them all); and those tables' marks. For those tasks and tables it
 * answers {@link Plan#unitsOf}, {@link Plan#unitsOfTable} and {@link Plan#marksOf} as the whole plan does.
 *
 * <p>Slices are written after the whole plan is stored, and only from it, so a slice that exists
 * always agrees with it; a task that finds no slice (a plan stored before slices, or a planner that
 * stopped between the two) reads the whole plan.
 */
final class PlanSlices {
    private static final Logger log = LoggerFactory.getLogger(PlanSlices.class);
    /** Few enough writes for a bucket at planning time; at 10,000 tasks a slice covers 40 of them. */
    static final int MAX_SLICES = 256;
    /** Parallel writes of slices: a bucket's latency, not the CPU, bounds them. */
    private static final int WRITERS = 8;

    private PlanSlices() {}

    static int tasksPerSlice(int tasks) {
        return Math.max(1, (tasks + MAX_SLICES - 1) / MAX_SLICES);
    }

    /** The first task of the slice that holds {@code task}. */
    static int first(int task, int tasks) {
        int per = tasksPerSlice(tasks);
        return task / per * per;
    }

    /** The slices of {@code plan}, in task order. */
    static List<Plan> of(Plan plan) {
        int per = tasksPerSlice(plan.tasks());
        int count = (plan.tasks() + per - 1) / per;
        List<Assignment> all = plan.assignments();
        Map<String, List<Integer>> indicesOfTable = new HashMap<>();
        List<Set<String>> touched = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            touched.add(new LinkedHashSet<>());
        }
        for (int i = 0; i < all.size(); i++) {
            Assignment a = all.get(i);
            indicesOfTable.computeIfAbsent(a.unit().table(), t -> new ArrayList<>()).add(i);
            touched.get(a.task() / per).add(a.unit().table());
        }
        Map<String, Plan.TableMarks> marks = new HashMap<>();
        plan.marks().forEach(m -> marks.putIfAbsent(m.table(), m));
        List<Plan> slices = new ArrayList<>(count);
        for (Set<String> tables : touched) {
            List<Integer> indices = new ArrayList<>();
            List<Plan.TableMarks> sliceMarks = new ArrayList<>();
            for (String t : tables) {
                indices.addAll(indicesOfTable.get(t));
                Optional.ofNullable(marks.get(t)).ifPresent(sliceMarks::add);
            }
            indices.sort(null); // the whole plan's order, so a task runs its units in the same order
            slices.add(new Plan(plan.execution(), plan.createdAt(), plan.tasks(), plan.fingerprint(),
                    indices.stream().map(all::get).toList(), plan.moment(), sliceMarks));
        }
        return slices;
    }

    /**
     * Writes the slices of {@code plan}, which is stored. A slice that cannot be written is only slower
     * to do without (its tasks read the whole plan), so it is logged, not thrown.
     */
    static void store(Store store, Plan plan) {
        int per = tasksPerSlice(plan.tasks());
        List<Plan> slices = of(plan);
        List<Callable<Void>> writes = new ArrayList<>(slices.size());
        for (int k = 0; k < slices.size(); k++) {
            String path = Layout.planSlice(plan.execution(), k * per);
            Plan slice = slices.get(k);
            writes.add(() -> {
                store.write(path, Json.write(slice));
                return null;
            });
        }
        ExecutorService writers = Executors.newFixedThreadPool(Math.min(WRITERS, writes.size()), r -> {
            Thread t = new Thread(r, "plan-slices");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Future<Void> f : writers.invokeAll(writes)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("Could not store the slices of the plan of execution {} ({}): its tasks read the whole plan",
                    plan.execution(), e.getCause().toString());
        } finally {
            writers.shutdownNow();
        }
    }

    /** The slice of the stored plan of {@code execution} that holds {@code task} of {@code tasks}, if any. */
    static Optional<Plan> find(Store store, String execution, int tasks, int task) throws IOException {
        String path = Layout.planSlice(execution, first(task, tasks));
        Optional<byte[]> stored = store.read(path);
        return stored.isEmpty() ? Optional.empty() : Optional.of(Plans.parse(stored.get(), store, execution, path));
    }
}
