package io.spillway.plan;

import io.spillway.plan.Plan.Assignment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

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

    public static List<Assignment> assign(List<Unit> units, int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1, not " + tasks);
        }
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
}
