package io.spillway.engine;

import io.spillway.config.JobConfig;
import io.spillway.engine.TaskStatus.State;
import io.spillway.format.PartitionedWriter;
import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.format.UnitWriter;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Partitions;
import io.spillway.plan.Plan;
import io.spillway.plan.Plans;
import io.spillway.publish.Journal;
import io.spillway.publish.Publisher;
import io.spillway.publish.UnitRecord;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One attempt of one task: load or make the execution's plan, export each of this task's units
 * that no earlier attempt committed (a source that exports on its own server starts them all, then
 * awaits them together), publish the tables whose units are all committed, and record what it did.
 * The task that plans a {@code --consistent} execution then holds the source's moment until every
 * unit of the execution is committed ({@link Holding}). Everything it does may be done again.
 */
public final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
    /** How often the task that holds a --consistent execution's moment looks for the units of other tasks. */
    private static final Duration HOLD_POLL = Duration.ofSeconds(1);
    /** How many tables a task publishes at once, beside its export. */
    static final int PUBLISHERS = 4;

    private final JobConfig config;
    private final TaskContext context;
    private final Clock clock;
    private final Duration lease;
    private final boolean signals;

    /** With the clock and the lease its publishes use (see {@link Journal}); a task process of its own. */
    public TaskRunner(JobConfig config, TaskContext context, Clock clock, Duration lease) {
        this(config, context, clock, lease, true);
    }

    /**
     * {@code signals}: whether the attempt handles the stop signals an engine sends (see
     * {@link StopSignals}); false for attempts that share a JVM, where the process is not theirs.
     */
    public TaskRunner(JobConfig config, TaskContext context, Clock clock, Duration lease, boolean signals) {
        this.config = config;
        this.context = context;
        this.clock = clock;
        this.lease = lease;
        this.signals = signals;
    }

    /**
     * Runs the attempt on a source and a store that the caller opened and closes, with execution,
     * task, attempt, table and unit in the MDC; the caller's MDC is kept.
     */
    public TaskStatus run(Source source, Store store) throws Exception {
        Map<String, String> callers = MDC.getCopyOfContextMap();
        MDC.put("execution", context.execution());
        MDC.put("task", Integer.toString(context.index()));
        MDC.put("attempt", Integer.toString(context.attempt()));
        try {
            store.checkWritable();
            try (Plans.Planned planned = Plans.loadOrHold(store, source, config, context.execution(), context.count(),
                    context.index(), clock)) {
                return new Attempt(source, store, planned.plan(), planned.moment()).run();
            }
        } finally {
            MDC.setContextMap(callers == null ? Map.of() : callers);
        }
    }

    private final class Attempt {
        private final Source source;
        private final Store store;
        private final Plan plan;
        private final Source.Moment held;
        private final Publisher publisher;
        private final List<Unit> units;
        private final Instant started = clock.instant();
        private Map<String, TableInfo> tables;
        private int done;
        private int skipped;
        private long rows;
        private long bytes;
        private volatile Unit current;
        private boolean finished;

        Attempt(Source source, Store store, Plan plan, Source.Moment held) {
            this.source = source;
            this.store = store;
            this.plan = plan;
            this.held = held;
            this.publisher = new Publisher(store, plan, config.format(), config.compression(), config.layout(),
                    config.keep(), clock, lease, config.partitions());
            this.units = plan.unitsOf(context.index());
        }

        TaskStatus run() throws Exception {
            AttemptHistory.keepPrevious(store, plan.execution(), context.index(), context.attempt());
            record(State.RUNNING, null);
            Map<String, String> labels = MDC.getCopyOfContextMap();
            try (StopSignals stops = signals ? StopSignals.install(signal -> onSignal(signal, labels))
                    : StopSignals.none()) {
                if (units.isEmpty()) {
                    log.info("Task {} of {} has no units: nothing to do", context.index(), context.count());
                }
                Set<String> touched = new LinkedHashSet<>();
                units.forEach(u -> touched.add(u.table()));
                for (String table : touched) {
                    publisher.finishInterrupted(table);
                }
                source.begin(plan.execution(), config.snapshot() ? plan.createdAt() : null, plan.moment());
                List<Started> started = new ArrayList<>();
                Map<String, Integer> left = new HashMap<>();
                units.forEach(u -> left.merge(u.table(), 1, Integer::sum));
                Set<String> onServer = new HashSet<>();
                try (Publishing publishing = new Publishing(labels)) {
                    for (Unit unit : units) {
                        publishing.throwIfFailed();
                        current = unit;
                        MDC.put("table", unit.table());
                        MDC.put("unit", unit.id());
                        Optional<Started> s = startUnit(unit);
                        s.ifPresent(started::add);
                        if (s.isPresent()) {
                            onServer.add(unit.table());
                        } else if (left.merge(unit.table(), -1, Integer::sum) == 0 && !onServer.contains(unit.table())) {
                            publishing.start(unit.table()); // this task's last unit of the table is committed
                        }
                    }
                    awaitAll(started);
                    current = null;
                    MDC.remove("unit");
                    for (String table : touched) {
                        MDC.put("table", table);
                        if (!publishing.started(table)) {
                            publish(table);
                        }
                    }
                    publishing.awaitAll();
                }
                MDC.remove("table");
                if (held != null) {
                    Holding.untilCommitted(store, plan, held, HOLD_POLL);
                }
                return record(State.SUCCEEDED, null);
            } catch (Exception | Error e) {
                try {
                    record(State.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
                } catch (IOException statusFailed) {
                    e.addSuppressed(statusFailed);
                }
                throw e;
            }
        }

        /** Publishes the table if all its units are committed, its own and other tasks'. */
        private void publish(String table) throws IOException {
            if (!publisher.publishIfComplete(table)) {
                log.info("Table {} waits for units of other tasks; the last of them publishes it", table);
            }
        }

        /**
         * Publishes, on threads of their own, each table whose units in this task are all committed, while
         * this task exports its next tables: on a bucket, a publish is a few round trips per file moved and
         * about 16 more (journal, manifest, markers, listings), 0.6 s a one-file table at 20 ms a round trip,
         * which a task of many tables would otherwise make one table after another at its end. Up to
         * {@link #PUBLISHERS} tables at a time (each table's publish is its own, see {@link Journal}); a
         * failure fails the attempt at its next unit or at the end, and the attempt does not end before the
         * publishes under way have.
         */
        private final class Publishing implements AutoCloseable {
            private final ExecutorService pool;
            private final Map<String, Future<?>> started = new LinkedHashMap<>();
            /** The first publish that failed, looked at before each unit (a task may have thousands of tables). */
            private final AtomicReference<Future<?>> failed = new AtomicReference<>();
            private final Map<String, String> labels;

            Publishing(Map<String, String> labels) {
                this.labels = labels == null ? Map.of() : labels;
                AtomicInteger threads = new AtomicInteger();
                this.pool = Executors.newFixedThreadPool(PUBLISHERS, r -> {
                    Thread t = new Thread(r, "publish-" + context.index() + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }

            void start(String table) {
                FutureTask<Void> publish = new FutureTask<>(() -> {
                    MDC.setContextMap(labels);
                    MDC.put("table", table);
                    publish(table);
                    return null;
                }) {
                    @Override
                    protected void setException(Throwable t) {
                        super.setException(t);
                        failed.compareAndSet(null, this);
                    }
                };
                started.put(table, publish);
                pool.execute(publish);
            }

            boolean started(String table) {
                return started.containsKey(table);
            }

            void throwIfFailed() throws Exception {
                Future<?> f = failed.get();
                if (f != null) {
                    result(f);
                }
            }

            void awaitAll() throws Exception {
                for (Future<?> f : started.values()) {
                    result(f);
                }
            }

            private static void result(Future<?> f) throws Exception {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception x) {
                        throw x;
                    }
                    if (e.getCause() instanceof Error x) {
                        throw x;
                    }
                    throw e;
                }
            }

            /** Lets the publishes under way end (stopping them would only leave them to the next task to finish). */
            @Override
            public void close() {
                pool.shutdown();
                try {
                    while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                        log.info("Waiting for the publishes under way to end");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** A unit whose export the source's server is doing: {@link Source#start} returned without waiting. */
        private record Started(Unit unit, String token, String prefix, UnitWriter out, Source.Pending pending,
                long nanos) {}

        /** Exports a unit, or starts it on the source's server; returns it then, to be awaited. */
        private Optional<Started> startUnit(Unit unit) throws Exception {
            var committed = publisher.record(unit);
            if (committed.isPresent()) {
                log.info("Skipped {}: committed by attempt {} of task {}", unit.id(), committed.get().attempt(),
                        committed.get().task());
                skipped++;
                return Optional.empty();
            }
            table(unit.table());
            String token = UUID.randomUUID().toString();
            String prefix = Layout.stagingUnit(plan.execution(), unit.table(), unit.part(), token);
            long start = System.nanoTime();
            UnitWriter out = writer(unit, prefix);
            Optional<Source.Pending> pending;
            try {
                pending = source.start(unit, out);
            } catch (Exception e) {
                out.close();
                store.deleteAll(prefix);
                if (committedByAnother(unit, e)) {
                    return Optional.empty();
                }
                throw wrap(unit, e);
            }
            Started s = new Started(unit, token, prefix, out, pending.orElse(null), start);
            if (pending.isEmpty()) {
                complete(s);
                return Optional.empty();
            }
            return Optional.of(s);
        }

        /** The unit's writer: into Hive-style partition folders where a {@code --partition-by} rule names its table. */
        private UnitWriter writer(Unit unit, String prefix) {
            Optional<JobConfig.PartitionRule> rule = Partitions.of(config.partitions(), unit.table());
            if (rule.isPresent()) {
                return new PartitionedWriter(store, prefix, config.format(), config.compression(), config.maxFileSize(),
                        rule.get().column(), rule.get().granularity());
            }
            return new ShardWriter(store, prefix, config.format(), config.compression(), config.maxFileSize());
        }

        /** Awaits every started unit, committing each as it is done; a failure fails the task after the rest. */
        private void awaitAll(List<Started> started) throws Exception {
            if (!started.isEmpty()) {
                log.info("Started {} units on the source's server; waiting for them", started.size());
            }
            Exception failed = null;
            for (Started s : started) {
                current = s.unit();
                MDC.put("table", s.unit().table());
                MDC.put("unit", s.unit().id());
                try {
                    complete(s);
                } catch (Exception e) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        private void complete(Started s) throws Exception {
            Unit unit = s.unit();
            List<ShardFile> files;
            long unitRows;
            try (UnitWriter out = s.out()) {
                if (s.pending() != null) {
                    s.pending().await();
                }
                files = out.finish();
                unitRows = out.rowCount();
            } catch (Exception e) {
                store.deleteAll(s.prefix());
                if (committedByAnother(unit, e)) {
                    return;
                }
                throw wrap(unit, e);
            }
            UnitRecord record = new UnitRecord(plan.execution(), unit.table(), unit.part(), unit.parts(),
                    context.index(), context.attempt(), s.token(), files, table(unit.table()).columns(), clock.instant(),
                    unitRows, clock.instant().minusNanos(System.nanoTime() - s.nanos()));
            if (Thread.currentThread().isInterrupted()) { // stopped (a timeout in the local executor): commit nothing
                store.deleteAll(s.prefix());
                throw new InterruptedException("stopped before committing " + unit.id());
            }
            if (!store.createIfAbsent(Layout.unitRecord(plan.execution(), unit.table(), unit.part()), Json.write(record))) {
                store.deleteAll(s.prefix());
                log.info("Another copy of this task committed {} first; dropped this copy's files", unit.id());
                skipped++;
                return;
            }
            committed(record);
            log.info("Exported {}: {} rows, {} files, {} bytes in {} ms", unit.id(),
                    record.rows() < 0 ? "?" : record.rows(), files.size(), record.bytes(),
                    (System.nanoTime() - s.nanos()) / 1_000_000);
        }

        /**
         * Whether a duplicate copy of this task committed the unit while this copy failed at it: it may have
         * published the table and cleared the staging folder under this copy's feet, so its work stands.
         */
        private boolean committedByAnother(Unit unit, Exception e) throws IOException {
            if (e instanceof InterruptedException || publisher.record(unit).isEmpty()) {
                return false;
            }
            log.info("Another copy of this task committed {} while this copy exported it ({}); dropped this"
                    + " copy's files", unit.id(), e.getMessage());
            skipped++;
            return true;
        }

        private TableInfo table(String name) throws Exception {
            if (tables == null) {
                Set<String> names = units.stream().map(Unit::table).collect(Collectors.toSet());
                tables = source.tables(names).stream().collect(Collectors.toMap(TableInfo::name, Function.identity()));
            }
            TableInfo t = tables.get(name);
            if (t == null) {
                throw new JobException("table " + name + " is in the plan of execution " + plan.execution()
                        + " but no longer in " + source.uri() + ": it was dropped or renamed after planning");
            }
            return t;
        }

        private RuntimeException wrap(Unit unit, Exception e) {
            String where = "table " + unit.table() + (unit.parts() > 1 ? ", " + unit.id() : "") + ": ";
            if (e instanceof JobException) {
                return new JobException(where + e.getMessage(), e);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new ExportException(where + describe(e), e);
        }

        private static String describe(Exception e) {
            if (e instanceof java.nio.file.FileSystemException f) {
                return f.getClass().getSimpleName().replace("Exception", "") + " " + f.getFile()
                        + (f.getReason() == null ? "" : ": " + f.getReason());
            }
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }

        private synchronized void committed(UnitRecord record) {
            done++;
            rows += Math.max(0, record.rows()); // -1: the source did not say
            bytes += record.bytes();
        }

        /**
         * On SIGTERM or SIGINT the current unit is abandoned where it stands: its staged files are
         * left for the table's publish to clear, and a retry redoes it. Runs on a signal thread.
         */
        private void onSignal(String signal, Map<String, String> labels) {
            MDC.setContextMap(labels);
            Unit unit = current;
            if (unit != null) {
                MDC.put("table", unit.table());
                MDC.put("unit", unit.id());
            }
            switch (signal) {
                case "SIGTSTP" -> log.warn("Cloud Run will migrate this task in 10 s (SIGTSTP): the export goes on;"
                        + " a connection that breaks meanwhile fails the unit and a retry redoes it");
                case "SIGCONT" -> log.info("Resumed (SIGCONT)");
                default -> stop(signal, unit);
            }
        }

        private void stop(String signal, Unit unit) {
            String error = "stopped by " + signal;
            try {
                if (stopRecord(error)) {
                    log.warn("Stopped by {}{}; {} of {} units committed by this attempt; a retry resumes from the"
                            + " committed units", signal, unit == null ? "" : ": " + unit.id() + " abandoned",
                            done, units.size());
                }
            } catch (IOException | RuntimeException e) {
                log.error("Stopped by {}, but the task status could not be written: {}", signal, e.getMessage());
            }
        }

        /** The last status of this attempt, unless it has already finished; nothing is recorded after it. */
        private synchronized boolean stopRecord(String error) throws IOException {
            if (finished) {
                return false;
            }
            record(State.FAILED, error);
            return true;
        }

        private synchronized TaskStatus record(State state, String error) throws IOException {
            TaskStatus status = new TaskStatus(plan.execution(), context.index(), context.count(), context.attempt(),
                    state, units.size(), done, skipped, rows, bytes, started,
                    state == State.RUNNING ? null : clock.instant(), error);
            if (finished) {
                return status; // a signal stopped this attempt: its record stands
            }
            finished = state != State.RUNNING;
            store.write(Layout.taskStatus(plan.execution(), context.index()), Json.write(status));
            return status;
        }
    }
}
