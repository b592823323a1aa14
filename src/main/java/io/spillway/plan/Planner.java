package io.spillway.plan;

import io.spillway.layout.Layout;
import io.spillway.plan.Plan.Assignment;
import io.spillway.spi.JobException;
import io.spillway.spi.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Assigns units to tasks by weight: largest unit first, each to the least-loaded task (ties to
 * the lowest task index), units of equal weight in order of table name and part. The result
 * depends only on the units and the task count, so every task computes the same plan.
 *
 * <p>This is Graham's longest-processing-time rule: the largest load is at most the mean load
 * plus the largest unit, and at most (4/3 - 1/(3N)) times the best possible.
 */
public final class Planner {
    private Planner() {}

    public static final Comparator<Unit> ORDER = Comparator.comparingLong(Unit::weight).reversed()
            .thenComparing(Unit::table)
            .thenComparingInt(Unit::part);

    /**
     * The assignment of {@code units} to {@code tasks} tasks. Throws a {@link JobException} when two
     * units would share their files at the destination.
     */
    public static List<Assignment> assign(List<Unit> units, int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, not " + tasks);
        }
        checkDistinct(units, Layout::segment);
        PriorityQueue<long[]> loads = new PriorityQueue<>(
                Comparator.<long[]>comparingLong(l -> l[0]).thenComparingLong(l -> l[1]));
        for (int t = 0; t < tasks; t++) {
            loads.add(new long[] {0, t});
        }
        List<Assignment> out = new ArrayList<>(units.size());
        for (Unit u : units.stream().sorted(ORDER).toList()) {
            long[] least = loads.poll();
            out.add(new Assignment((int) least[1], u));
            least[0] += u.weight();
            loads.add(least);
        }
        return out;
    }

    /**
     * Refuses units that would write to the same place: two tables whose names map to one folder
     * ({@code folderOf}: {@link Layout#segment}), or one unit (table and part) listed twice. Either would make one
     * table's files and records overwrite the other's and one of them silently vanish.
     */
    static void checkDistinct(List<Unit> units, UnaryOperator<String> folderOf) {
        Map<String, String> tableOfFolder = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (Unit u : units) {
            String folder = folderOf.apply(u.table());
            String other = tableOfFolder.putIfAbsent(folder, u.table());
            if (other != null && !other.equals(u.table())) {
                throw new JobException("tables '" + other + "' and '" + u.table() + "' would share the folder '"
                        + folder + "' at the destination: rename one of them or leave one out with --exclude");
            }
            if (!keys.add(folder + "/" + u.part())) { // the unit record's key, see Layout#unitRecord
                throw new JobException("table '" + u.table() + "' is listed twice by the source (" + u.id()
                        + "): both copies would write the same files; leave it out with --exclude or report this");
            }
        }
    }
}
