package io.spillway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.plan.Plan.Assignment;
import io.spillway.spi.JobException;
import io.spillway.spi.KeyRange;
import io.spillway.spi.Unit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlannerTest {

    static List<Unit> randomUnits(Random random, int count) {
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long weight = switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextInt(10);                       // tiny tables
                case 1 -> 1 + (long) (Math.exp(random.nextDouble() * 30)); // sizes over 13 orders of magnitude
                case 2 -> 1_000_000L;                                     // many equal weights: ties
                default -> 1 + random.nextInt(1_000_000);
            };
            units.add(Unit.whole("t" + i, weight));
        }
        return units;
    }

    static long[] loads(List<Assignment> assignments, int tasks) {
        long[] loads = new long[tasks];
        assignments.forEach(a -> loads[a.task()] += a.unit().weight());
        return loads;
    }

    @Test
    void everyUnitLandsInExactlyOneTaskAndTheLargestTaskIsBounded() {
        Random random = new Random(42);
        for (int tasks = 1; tasks <= 64; tasks++) {
            for (int count = 0; count <= 100; count++) {
                List<Unit> units = randomUnits(random, count);
                List<Assignment> plan = Planner.assign(units, tasks);

                // plain checks first, AssertJ only to explain a failure: 6,464 plans
                java.util.Comparator<Unit> byId = java.util.Comparator.comparing(Unit::id);
                List<Unit> planned = plan.stream().map(Assignment::unit).sorted(byId).toList();
                if (!planned.equals(units.stream().sorted(byId).toList())) {
                    assertThat(plan).extracting(Assignment::unit).containsExactlyInAnyOrderElementsOf(units);
                }
                int n = tasks;
                if (plan.stream().anyMatch(a -> a.task() < 0 || a.task() >= n)) {
                    assertThat(plan).allSatisfy(a -> assertThat(a.task()).isBetween(0, n - 1));
                }
                long total = units.stream().mapToLong(Unit::weight).sum();
                long largestUnit = units.stream().mapToLong(Unit::weight).max().orElse(0);
                long largestTask = java.util.Arrays.stream(loads(plan, tasks)).max().orElseThrow();
                if ((double) largestTask > (double) total / tasks + largestUnit) {
                    assertThat((double) largestTask).as("%d units on %d tasks", count, tasks)
                            .isLessThanOrEqualTo((double) total / tasks + largestUnit);
                }
            }
        }
    }

    @Test
    void withinFourThirdsOfTheOptimumOnSmallCases() {
        Random random = new Random(7);
        for (int round = 0; round < 3000; round++) {
            int tasks = 1 + random.nextInt(4);
            List<Unit> units = new ArrayList<>();
            int count = random.nextInt(10);
            for (int i = 0; i < count; i++) {
                units.add(Unit.whole("t" + i, 1 + random.nextInt(round % 2 == 0 ? 20 : 1000)));
            }
            long lpt = java.util.Arrays.stream(loads(Planner.assign(units, tasks), tasks)).max().orElseThrow();
            long optimum = optimum(units.stream().mapToLong(Unit::weight).toArray(), tasks);
            double bound = 4.0 / 3 - 1.0 / (3 * tasks);
            assertThat((double) lpt).as("units %s on %d tasks", units, tasks).isLessThanOrEqualTo(bound * optimum + 1e-9);
        }
    }

    /**
     * The smallest possible largest load, by trying every assignment; tasks of equal load are
     * interchangeable, so a unit goes to only one of them (the search stays exact).
     */
    static long optimum(long[] weights, int tasks) {
        return search(weights, 0, new long[tasks], 0);
    }

    private static long search(long[] weights, int i, long[] loads, long max) {
        if (i == weights.length) {
            return max;
        }
        long best = Long.MAX_VALUE;
        for (int t = 0; t < loads.length; t++) {
            boolean seen = false;
            for (int u = 0; u < t && !seen; u++) {
                seen = loads[u] == loads[t];
            }
            if (seen) {
                continue;
            }
            loads[t] += weights[i];
            best = Math.min(best, search(weights, i + 1, loads, Math.max(max, loads[t])));
            loads[t] -= weights[i];
        }
        return best;
    }

    @Test
    void theSameUnitsInAnyOrderGiveTheSamePlan() {
        Random random = new Random(3);
        List<Unit> units = randomUnits(random, 80);
        List<Assignment> first = Planner.assign(units, 9);
        for (int i = 0; i < 20; i++) {
            List<Unit> shuffled = new ArrayList<>(units);
            Collections.shuffle(shuffled, random);
            assertThat(Planner.assign(shuffled, 9)).isEqualTo(first);
        }
    }

    @Test
    void tenTablesOnThirtyTasksLeaveTwentyTasksIdleAndThirtyOnTenShareThemAll() {
        List<Unit> ten = randomUnits(new Random(1), 10);
        var onThirty = Planner.assign(ten, 30).stream().map(Assignment::task).collect(Collectors.toSet());
        assertThat(onThirty).hasSize(10);

        List<Unit> thirty = randomUnits(new Random(2), 30);
        var onTen = Planner.assign(thirty, 10);
        assertThat(onTen).hasSize(30);
        assertThat(onTen.stream().map(Assignment::task).collect(Collectors.toSet())).hasSize(10);
    }

    @Test
    void largestUnitsGoFirstToTheLeastLoadedTask() {
        List<Unit> units = List.of(Unit.whole("a", 5), Unit.whole("b", 4), Unit.whole("c", 3), Unit.whole("d", 3),
                Unit.whole("e", 3));
        // a→0 (5), b→1 (4), c→1 (7), d→0 (8), e→1 (10): each to the least-loaded task
        var plan = Planner.assign(units, 2);
        assertThat(plan).extracting(a -> a.unit().table() + "→" + a.task())
                .containsExactly("a→0", "b→1", "c→1", "d→0", "e→1");
    }

    @Test
    void twoTablesThatWouldShareAFolderAreRefusedByName() {
        List<Unit> units = List.of(Unit.whole("Orders", 10), Unit.whole("orders", 20));
        assertThatThrownBy(() -> Planner.checkDistinct(units, name -> name.toLowerCase(java.util.Locale.ROOT)))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("tables 'Orders' and 'orders' would share the folder 'orders'");
        assertThat(Planner.assign(units, 2)).hasSize(2); // distinct under the real layout
    }

    @Test
    void aTableListedTwiceIsRefused() {
        assertThatThrownBy(() -> Planner.assign(List.of(Unit.whole("t", 1), Unit.whole("t", 2)), 2))
                .isInstanceOf(JobException.class).hasMessageContaining("table 't' is listed twice");
        KeyRange r = KeyRange.integers("id", 0L, 10L, false);
        assertThatThrownBy(() -> Planner.assign(List.of(new Unit("t", 0, 2, r, 1), new Unit("t", 0, 2, r, 1)), 2))
                .isInstanceOf(JobException.class).hasMessageContaining("table 't' is listed twice");
    }

    @Test
    void longNamesWhoseJavaHashCodesCollideAreTwoTables() {
        String prefix = "x".repeat(250);
        List<Assignment> plan = Planner.assign(List.of(Unit.whole(prefix + "Aa", 1), Unit.whole(prefix + "BB", 1)), 1);
        assertThat(plan).hasSize(2);
    }
}
