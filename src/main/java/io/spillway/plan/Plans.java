package io.spillway.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planning a job, the one way {@code plan}, {@code run} and {@code task} all do it: list and filter
 * the source's tables, cut each into units, assign the units to tasks by weight ({@link Planner}).
 *
 * <p>An execution's plan is shared through its store: the first task to get there stores its plan
 * with a create-if-absent write; every other task reads that copy, so all agree even if tables
 * appear or vanish in the meantime. A task reads only its slice of it ({@link PlanSlices}).
 */
public final class Plans {
    private static final Logger log = LoggerFactory.getLogger(Plans.class);

    private Plans() {}

    /** Below this, {@code --split-size auto} cuts nothing: a range costs a query and a file of its own. */
    static final long MIN_AUTO_SPLIT = 16L << 20;

    /**
     * The split size the job gives, or for {@code --split-size auto}: on one task, never; on several,
     * half a task's fair share of the tables' total estimated size, so that no unit is much larger than
     * half of what a task should do and the largest-first assignment ends close to the mean; tables whose
     * source cannot cut them stay whole. The half share is rounded up: a source cuts a table into
     * ⌈size / split⌉ parts, and a split rounded down made one table on N tasks 2N + 1 units, one task doing
     * three of them (1.29 to 1.43 times the mean on 3, 5, 6, 9 or 10 tasks) where 2N units give each task two.
     *
     * <p>Where half a share is under {@link #MIN_AUTO_SPLIT}, units of that floor, or of a whole share
     * where that is over the floor, whichever {@link #imbalance} says ends closer to the mean: one table of
     * 434 MiB on 24 tasks is 28 units of the floor (four tasks doing two, 1.71 times the mean) but 24 of a
     * share; ten tables of 40 MiB on 16 tasks are best in units of the floor (1.07, against 1.60).
     */
    static long splitSize(JobConfig config, List<TableInfo> tables, int tasks) {
        if (config.splitSize() != JobConfig.AUTO_SPLIT) {
            return config.splitSize();
        }
        if (tasks <= 1) {
            return 0;
        }
        long[] sizes = tables.stream().mapToLong(t -> Math.max(0, t.estimatedBytes())).toArray();
        long total = Arrays.stream(sizes).sum();
        long half = (total + 2L * tasks - 1) / (2L * tasks);
        if (half >= MIN_AUTO_SPLIT) {
            return half;
        }
        long share = (total + tasks - 1) / tasks;
        if (share <= MIN_AUTO_SPLIT) {
            return MIN_AUTO_SPLIT;
        }
        return imbalance(sizes, share, tasks) < imbalance(sizes, MIN_AUTO_SPLIT, tasks) ? share : MIN_AUTO_SPLIT;
    }

    /**
     * The largest task's load over the mean if tables of {@code sizes} were cut at {@code split} into
     * ⌈size / split⌉ equal parts and assigned by {@link Planner#assign} (a source may keep a table whole or
     * cut it otherwise: an estimate, to compare two splits).
     */
    static double imbalance(long[] sizes, long split, int tasks) {
        List<Unit> units = new ArrayList<>();
        for (int t = 0; t < sizes.length; t++) {
            int parts = sizes[t] > split ? (int) ((sizes[t] + split - 1) / split) : 1;
            for (int p = 0; p < parts; p++) {
                units.add(Unit.whole(t + "." + p, sizes[t] / parts)); // the assignment needs weights and distinct names
            }
        }
        return Plan.imbalance(Planner.assign(units, tasks), tasks);
    }

    /**
     * The job's tables, filtered, from the source's {@link Source#listing() listing}: names and sizes. The
     * columns are read only where planning reads them: of every table for {@code --skip-unchanged} (an export
     * of other columns is not skipped), else of the tables a {@code --cursor} or {@code --partition-by} names.
     */
    private static List<TableInfo> tables(Source source, JobConfig config) throws Exception {
        TableFilter filter = new TableFilter(config.includes(), config.excludes());
        if (config.skipUnchanged()) {
            return filter.apply(source.tables(), source.uri());
        }
        List<TableInfo> listed = filter.apply(source.listing(), source.uri());
        Set<String> ruled = new HashSet<>();
        for (TableInfo t : listed) {
            if (Increments.cursorOf(config, t.name()).isPresent()
                    || Partitions.of(config.partitions(), t.name()).isPresent()) {
                ruled.add(t.name());
            }
        }
        if (ruled.isEmpty()) {
            return listed;
        }
        Map<String, TableInfo> full = new HashMap<>();
        source.tables(ruled).forEach(t -> full.put(t.name(), t));
        return listed.stream().map(t -> full.getOrDefault(t.name(), t)).toList();
    }

    /** A new plan of the job for {@code tasks} tasks, made now, exporting every table in full. Nothing is written. */
    public static Plan make(Source source, JobConfig config, String execution, int tasks, Clock clock)
            throws Exception {
        return make(null, source, config, execution, tasks, clock);
    }

    /**
     * A new plan of the job for {@code tasks} tasks, made now; with {@code --skip-unchanged} or {@code --cursor}
     * it reads the tables' manifests at {@code store} (null: none, every table in full; see {@link Increments}).
     * Nothing is written.
     */
    public static Plan make(Store store, Source source, JobConfig config, String execution, int tasks, Clock clock)
            throws Exception {
        List<Unit> units = new ArrayList<>();
        List<Plan.TableMarks> marks = new ArrayList<>();
        long start = System.nanoTime();
        List<TableInfo> tables = tables(source, config);
        long listed = System.nanoTime();
        Increments increments = new Increments(store, source, config, splitSize(config, tables, tasks));
        if (config.consistent()) {
            source.planForOneMoment();
        }
        for (TableInfo t : tables) {
            Partitions.check(source, config, t);
            Increments.Planned p = increments.plan(t);
            units.addAll(p.units());
            p.marks().ifPresent(marks::add);
        }
        long cut = System.nanoTime();
        Plan plan = new Plan(execution, clock.instant(), tasks, config.fingerprint(), Planner.assign(units, tasks),
                null, marks);
        log.info("Planned {} tables, {} units on {} tasks: listing {} ms, units {} ms, assigning {} ms", tables.size(),
                units.size(), tasks, (listed - start) / 1_000_000, (cut - listed) / 1_000_000,
                (System.nanoTime() - cut) / 1_000_000);
        return plan;
    }

    /**
     * The stored plan of {@code execution}, if any. A stored plan that cannot be read is a
     * {@link JobException}: every task and every retry would read the same bytes.
     */
    public static Optional<Plan> find(Store store, String execution) throws IOException {
        Optional<byte[]> stored = store.read(Layout.plan(execution));
        return stored.isEmpty() ? Optional.empty() : Optional.of(parse(stored.get(), store, execution,
                Layout.plan(execution)));
    }

    /** What task {@code task} of {@code tasks} needs of the stored plan of {@code execution}: its slice, or else the whole plan. */
    static Optional<Plan> find(Store store, String execution, int tasks, int task) throws IOException {
        Optional<Plan> slice = PlanSlices.find(store, execution, tasks, task);
        return slice.isPresent() ? slice : find(store, execution);
    }

    static Plan parse(byte[] stored, Store store, String execution, String path) {
        try {
            return Json.read(stored, Plan.class, "the plan of execution " + execution);
        } catch (ExportException e) {
            String why = e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new JobException("the plan of execution " + execution + " at " + store.uri() + " is damaged ("
                    + why.lines().findFirst().orElse("") + " in " + path + "): start a new execution, or delete "
                    + Layout.execution(execution) + " there to plan this one again", e);
        }
    }

    /**
     * The stored plan of {@code execution}, or a new one made and stored; the source is asked only
     * when there is none. Fails with a {@link JobException} when the stored plan is of another job
     * or another task count. For a job that is not {@code --consistent}: such a job is planned with
     * {@link #loadOrHold}, which holds its moment.
     */
    public static Plan loadOrMake(Store store, Source source, JobConfig config, String execution, int tasks,
            Clock clock) throws Exception {
        if (config.consistent()) {
            throw new IllegalArgumentException("a --consistent job is planned by Plans.loadOrHold, which holds its moment");
        }
        return loadOrHold(store, source, config, execution, tasks, clock).plan();
    }

    /**
     * As {@link #loadOrMake}; for a {@code --consistent} job, the caller that makes and stores the
     * plan first takes the source's moment ({@link Source#holdMoment}) and stores its token in the
     * plan, and gets the moment back to hold until every unit of the execution is committed. A
     * caller whose plan another task stored first lets its own moment go and uses that plan's.
     */
    public static Planned loadOrHold(Store store, Source source, JobConfig config, String execution, int tasks,
            Clock clock) throws Exception {
        return loadOrHold(store, source, config, execution, tasks, -1, clock);
    }

    /**
     * As {@link #loadOrHold(Store, Source, JobConfig, String, int, Clock)} for task {@code task}: a
     * stored plan is read as its slice ({@link PlanSlices}), which holds this task's units, every unit
     * of the tables it exports and their marks, but not the rest of the plan. The caller that makes
     * the plan gets all of it; {@code task} -1 reads all of a stored plan too.
     */
    public static Planned loadOrHold(Store store, Source source, JobConfig config, String execution, int tasks,
            int task, Clock clock) throws Exception {
        Optional<Plan> stored = task < 0 ? find(store, execution) : find(store, execution, tasks, task);
        if (stored.isEmpty()) {
            Source.Moment moment = config.consistent() ? source.holdMoment() : null;
            try {
                Plan plan = make(store, source, config, execution, tasks, clock);
                if (moment != null) {
                    plan = plan.withMoment(moment.token());
                }
                long start = System.nanoTime();
                byte[] json = Json.write(plan);
                if (store.createIfAbsent(Layout.plan(execution), json)) {
                    PlanSlices.store(store, plan);
                    log.info("Stored the plan of execution {} ({} bytes) and its slices in {} ms", execution,
                            json.length, (System.nanoTime() - start) / 1_000_000);
                    return new Planned(check(plan, config, tasks), moment);
                }
            } catch (Exception | Error e) {
                if (moment != null) {
                    moment.close();
                }
                throw e;
            }
            if (moment != null) {
                moment.close();
            }
            stored = task < 0 ? find(store, execution) : find(store, execution, tasks, task); // another task's came first
        }
        Plan plan = stored.orElseThrow(() -> new IOException("the plan of execution " + execution + " vanished"));
        return new Planned(check(plan, config, tasks), null);
    }

    private static Plan check(Plan plan, JobConfig config, int tasks) {
        String execution = plan.execution();
        if (plan.tasks() != tasks) {
            throw new JobException("execution " + execution + " was planned for " + plan.tasks()
                    + " tasks but this task says there are " + tasks + ": start a new execution or fix the task count");
        }
        if (!plan.fingerprint().equals(config.fingerprint())) {
            throw new JobException("execution " + execution + " was planned for a different job (source, format or"
                    + " options changed): start a new execution");
        }
        return plan;
    }

    /**
     * A plan, and the moment its caller holds for it ({@code --consistent}, and this caller stored the
     * plan), or null. Closing it lets the moment go; idempotent.
     */
    public record Planned(Plan plan, Source.Moment moment) implements AutoCloseable {
        public Planned {
            java.util.Objects.requireNonNull(plan, "plan is null");
        }

        public Optional<Source.Moment> held() {
            return Optional.ofNullable(moment);
        }

        @Override
        public void close() {
            if (moment != null) {
                moment.close();
            }
        }
    }
}
