package io.spillway.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spillway.spi.Unit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The assignment of units to the tasks of one execution: computed once, stored, read by every
 * task. {@code fingerprint} identifies the job that made it (see {@code JobConfig#fingerprint}).
 * {@code moment} is the token of the source's moment that every unit of a {@code --consistent}
 * execution reads as of ({@code Source#holdMoment}), or null; plans stored before it have none.
 * {@code marks} says, for the tables planned with {@code --skip-unchanged} or {@code --cursor}, what
 * planning read and decided (absent from plans made before it existed).
 */
public record Plan(String execution, Instant createdAt, int tasks, String fingerprint, List<Assignment> assignments,
        @JsonInclude(JsonInclude.Include.NON_NULL) String moment, List<TableMarks> marks) {

    public record Assignment(int task, Unit unit) {}

    /**
     * What planning read of one table: its change marker (null where the source cannot tell), its cursor
     * column and the mark this execution reads up to (null without one), the execution whose export the
     * new files are added to ({@code appendsTo}, null for a full export), and why the table is left out
     * ({@code skipped}, null when it is exported).
     */
    public record TableMarks(String table, String marker, String cursor, String mark, String appendsTo,
            String skipped) {
        public TableMarks {
            Objects.requireNonNull(table, "table is null");
        }
    }

    public Plan {
        Objects.requireNonNull(execution, "execution is null");
        assignments = List.copyOf(assignments);
        marks = marks == null ? List.of() : List.copyOf(marks);
    }

    public Optional<TableMarks> marksOf(String table) {
        return marks.stream().filter(m -> m.table().equals(table)).findFirst();
    }

    /** The tables left out of this execution because nothing was to be exported, with why. */
    public List<TableMarks> skipped() {
        return marks.stream().filter(m -> m.skipped() != null).toList();
    }

    /** A plan whose units read the source as of their own start, every table in full. */
    public Plan(String execution, Instant createdAt, int tasks, String fingerprint, List<Assignment> assignments) {
        this(execution, createdAt, tasks, fingerprint, assignments, null, List.of());
    }

    /** This plan, its units reading as of the moment of {@code token}. */
    public Plan withMoment(String token) {
        return new Plan(execution, createdAt, tasks, fingerprint, assignments, token, marks);
    }

    /** The units of each task, index by task: one pass where {@link #unitsOf} for every task would be one each. */
    public List<List<Unit>> unitsByTask() {
        List<List<Unit>> out = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            out.add(new ArrayList<>());
        }
        assignments.forEach(a -> out.get(a.task()).add(a.unit()));
        return out;
    }

    public List<Unit> unitsOf(int task) {
        return assignments.stream().filter(a -> a.task() == task).map(Assignment::unit).toList();
    }

    public List<Unit> unitsOfTable(String table) {
        return assignments.stream().map(Assignment::unit).filter(u -> u.table().equals(table)).toList();
    }

    public long load(int task) {
        return assignments.stream().filter(a -> a.task() == task).mapToLong(a -> a.unit().weight()).sum();
    }

    public long totalWeight() {
        return assignments.stream().mapToLong(a -> a.unit().weight()).sum();
    }

    public List<String> tables() {
        return assignments.stream().map(a -> a.unit().table()).distinct().sorted().toList();
    }

    /** The largest task's load over the mean load: 1.0 is a perfect balance. */
    public double imbalance() {
        return imbalance(assignments, tasks);
    }

    /** The largest task's load over the mean load of {@code assignments} to {@code tasks} tasks. */
    static double imbalance(List<Assignment> assignments, int tasks) {
        long[] loads = new long[tasks];
        long total = 0;
        for (Assignment a : assignments) {
            loads[a.task()] += a.unit().weight();
            total += a.unit().weight();
        }
        long max = 0;
        for (long l : loads) {
            max = Math.max(max, l);
        }
        return total == 0 ? 1.0 : (double) max * tasks / total;
    }
}
