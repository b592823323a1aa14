package io.spillway.plan;

import io.spillway.spi.Unit;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The assignment of units to the tasks of one execution: computed once, stored, read by every
 * task. {@code fingerprint} identifies the job that made it (see {@code JobConfig#fingerprint}).
 * {@code marks} says, for the tables planned with {@code --skip-unchanged} or {@code --cursor}, what
 * planning read and decided (absent from plans made before it existed).
 */
public record Plan(String execution, Instant createdAt, int tasks, String fingerprint, List<Assignment> assignments,
        List<TableMarks> marks) {

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

    public Plan(String execution, Instant createdAt, int tasks, String fingerprint, List<Assignment> assignments) {
        this(execution, createdAt, tasks, fingerprint, assignments, List.of());
    }

    public Optional<TableMarks> marksOf(String table) {
        return marks.stream().filter(m -> m.table().equals(table)).findFirst();
    }

    /** The tables left out of this execution because nothing was to be exported, with why. */
    public List<TableMarks> skipped() {
        return marks.stream().filter(m -> m.skipped() != null).toList();
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
        long max = 0;
        for (int t = 0; t < tasks; t++) {
            max = Math.max(max, load(t));
        }
        long total = totalWeight();
        return total == 0 ? 1.0 : (double) max * tasks / total;
    }
}
