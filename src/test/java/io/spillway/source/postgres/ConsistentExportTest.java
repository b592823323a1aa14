package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.config.JobConfig;
import io.spillway.engine.TaskContext;
import io.spillway.engine.Tasks;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.plan.Plans;
import io.spillway.source.Sources;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.store.Stores;
import io.spillway.store.TaskProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --consistent every unit of every task reads one moment: while a writer moves money between
 * two tables, each transfer in one transaction, the exported balances of both tables add up to the
 * same total every time. Without it each unit reads its own moment and the totals drift.
 */
class ConsistentExportTest {
    private static final int ACCOUNTS = 20_000;
    private static final long OPENING = 1_000;
    private static final long TOTAL = 2L * ACCOUNTS * OPENING;
    private static final int TASKS = 3;

    @TempDir
    Path dir;

    private PgTestDb db;
    private long splitSize;
    private Writer writer;

    @BeforeEach
    void accounts() throws Exception {
        db = new PgTestDb("sw_consistent");
        for (String table : List.of("accounts_a", "accounts_b")) {
            db.sql("CREATE TABLE " + db.q(table) + " (id bigint PRIMARY KEY, balance bigint NOT NULL, owner text)",
                    "INSERT INTO " + db.q(table) + " SELECT i, " + OPENING + ", repeat('x', 100) || i"
                            + " FROM generate_series(1, " + ACCOUNTS + ") i",
                    "ANALYZE " + db.q(table));
        }
        long bytes = db.scannedBytes("accounts_a");
        splitSize = bytes / 4; // four or so key ranges a table, spread over the tasks
        writer = new Writer(db);
        writer.start();
        writer.awaitTransfers(200);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (writer != null) {
                writer.stop();
            }
        } finally {
            db.close();
        }
    }

    @Test
    void everyTaskInItsOwnProcessReadsTheOneMomentThePlanningTaskHolds() throws Exception {
        Path dest = dir.resolve("processes");
        String execution = "consistent-" + UUID.randomUUID();
        Map<String, String> env = Map.of("SPILLWAY_SOURCE", db.uri(), "SPILLWAY_DEST", dest.toString(),
                "SPILLWAY_SPLIT_SIZE", Long.toString(splitSize), "SPILLWAY_CONSISTENT", "true",
                "SPILLWAY_TASKS", Integer.toString(TASKS), "SPILLWAY_ATTEMPT", "0", "SPILLWAY_EXECUTION", execution);
        long before = writer.transfers();
        List<TaskProcess> tasks = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            var taskEnv = new java.util.HashMap<>(env);
            taskEnv.put("SPILLWAY_TASK_INDEX", Integer.toString(t));
            tasks.add(TaskProcess.start(taskEnv, dir.resolve("task-" + t + ".log"), "task"));
        }
        int holders = 0;
        for (TaskProcess task : tasks) {
            assertThat(task.waitFor(180)).as(task.output()).isZero();
            holders += task.output().contains("Holding snapshot") ? 1 : 0;
        }
        assertThat(writer.transfers()).as("transfers committed during the export").isGreaterThan(before);
        Plan plan = plan(dest, execution);
        assertThat(plan.unitsOfTable("accounts_a")).hasSizeGreaterThan(2);
        assertThat(plan.unitsOfTable("accounts_b")).hasSizeGreaterThan(2);
        // keyed tables, cut by their blocks all the same: rows the writer updates move between blocks meanwhile,
        // and every row is still exported once (exportedTotal counts them) because every range reads one moment
        assertThat(plan.unitsOfTable("accounts_a")).allSatisfy(u -> assertThat(u.range().column()).isEqualTo("ctid"));
        assertThat(plan.moment()).isNotNull();
        assertThat(holders).as("tasks that held a snapshot for the others").isBetween(1, TASKS);
        assertThat(exportedTotal(dest)).isEqualTo(TOTAL);
    }

    @Test
    void spillwayRunHoldsTheMomentWhileItsTaskProcessesReadIt() throws Exception {
        Path dest = dir.resolve("run");
        String execution = "consistent-run-" + UUID.randomUUID();
        long before = writer.transfers();
        TaskProcess run = TaskProcess.start(Map.of(), dir.resolve("run.log"), "run", "--source", db.uri(), "--dest",
                dest.toString(), "--tasks", Integer.toString(TASKS), "--parallelism", Integer.toString(TASKS),
                "--split-size", Long.toString(splitSize), "--max-retries", "0", "--consistent", "--execution", execution);
        assertThat(run.waitFor(240)).as(run.output()).isZero();
        assertThat(run.output()).contains("Holding snapshot");
        Path logs = TaskProcess.temporaryFolder(dir.resolve("run.log")).resolve("spillway").resolve(execution);
        for (int t = 0; t < TASKS; t++) {
            assertThat(Files.readString(logs.resolve("task-" + t + "-attempt-0.log")))
                    .as("task %d attaches to the run's snapshot", t).doesNotContain("Holding snapshot");
        }
        assertThat(writer.transfers()).as("transfers committed during the export").isGreaterThan(before);
        assertThat(plan(dest, execution).moment()).isNotNull();
        assertThat(plan(dest, execution).unitsOfTable("accounts_b")).hasSizeGreaterThan(2)
                .allSatisfy(u -> assertThat(u.range().column()).isEqualTo("ctid"));
        assertThat(exportedTotal(dest)).isEqualTo(TOTAL);
    }

    @Test
    void tasksRunTogetherInOneJvmAgreeOnEveryTry() throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            Path dest = dir.resolve("in-jvm-" + attempt);
            long before = writer.transfers();
            runTogether(config(dest).withConsistent(true));
            assertThat(writer.transfers()).isGreaterThan(before);
            assertThat(exportedTotal(dest)).as("try %d", attempt).isEqualTo(TOTAL);
        }
    }

    /** The same export without --consistent: each unit reads its own moment, so the total drifts. */
    @Test
    void withoutConsistentTheTotalDrifts() throws Exception {
        List<Long> totals = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            Path dest = dir.resolve("loose-" + attempt);
            runTogether(config(dest));
            totals.add(exportedTotal(dest));
        }
        System.out.println("Totals without --consistent (invariant " + TOTAL + "): " + totals);
        assertThat(totals).as("some export caught transfers half done").anyMatch(t -> t != TOTAL);
    }

    @Test
    void aUnitWhoseSnapshotIsGoneFailsSayingToStartANewExecution() throws Exception {
        Path dest = dir.resolve("gone");
        JobConfig config = config(dest).withConsistent(true);
        String execution = "gone-" + UUID.randomUUID();
        try (Source source = Sources.open(config.source()); Store store = Stores.open(config.dest())) {
            // the planner stores its plan, then ends before the other tasks have read the snapshot
            Plans.loadOrHold(store, source, config, execution, TASKS, Clock.systemUTC()).close();
        }
        assertThat(plan(dest, execution).unitsOf(1)).isNotEmpty();
        assertThatThrownBy(() -> Tasks.run(config, new TaskContext(1, TASKS, 0, execution, "test")))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("--consistent")
                .hasMessageContaining("is gone")
                .hasMessageContaining("start a new execution");

        TaskProcess task = TaskProcess.start(Map.of("SPILLWAY_SOURCE", db.uri(), "SPILLWAY_DEST", dest.toString(),
                "SPILLWAY_SPLIT_SIZE", Long.toString(splitSize), "SPILLWAY_CONSISTENT", "true", "SPILLWAY_TASK_INDEX",
                "2", "SPILLWAY_TASKS", Integer.toString(TASKS), "SPILLWAY_ATTEMPT", "0", "SPILLWAY_EXECUTION",
                execution), dir.resolve("gone.log"), "task");
        assertThat(task.waitFor(120)).as(task.output()).isEqualTo(2);
        assertThat(task.output()).contains("--consistent").contains("start a new execution");
    }

    @Test
    void aSnapshotIdFromThePlanIsUsedOnlyInTheFormPostgresqlGives() {
        assertThat(PgSnapshot.importing("00000003-0000001B-1")).isEqualTo("SET TRANSACTION SNAPSHOT '00000003-0000001B-1'");
        assertThat(PgSnapshot.importing("000003A1-1")).isEqualTo("SET TRANSACTION SNAPSHOT '000003A1-1'");
        for (String bad : List.of("", "00000003-0000001b-1", "00000003-0000001B-1'; DROP TABLE x; --",
                "00000003-0000001B-0", "0000003-0000001B-1", "00000003-0000001B-1\n")) {
            assertThatThrownBy(() -> PgSnapshot.importing(bad)).as(bad).isInstanceOf(JobException.class)
                    .hasMessageContaining("is not a PostgreSQL snapshot id");
        }
    }

    private JobConfig config(Path dest) {
        return Exports.config(db.uri(), dest, TASKS, splitSize, 1L << 30, List.of());
    }

    /** Runs every task of a new execution at once, each on its own thread, as tasks of an engine run. */
    private static void runTogether(JobConfig config) throws Exception {
        String execution = "test-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(config.tasks());
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < config.tasks(); t++) {
                TaskContext context = new TaskContext(t, config.tasks(), 0, execution, "test");
                tasks.add(pool.submit(() -> Tasks.run(config, context)));
            }
            for (Future<?> f : tasks) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Plan plan(Path dest, String execution) throws Exception {
        return Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
    }

    /** The balances of both tables as exported, read back through their manifests. */
    private static long exportedTotal(Path dest) throws Exception {
        long total = 0;
        for (String table : List.of("accounts_a", "accounts_b")) {
            List<List<String>> rows = Exports.read(dest, table);
            int balance = rows.get(0).indexOf("balance");
            assertThat(rows).as(table).hasSize(ACCOUNTS + 1);
            for (List<String> row : rows.subList(1, rows.size())) {
                total += Long.parseLong(row.get(balance));
            }
        }
        return total;
    }

    /** Moves money from an account of one table to an account of the other, one transfer a transaction, until stopped. */
    private static final class Writer implements Runnable {
        private final Connection connection;
        private final String a;
        private final String b;
        private final AtomicLong transfers = new AtomicLong();
        private final Thread thread = new Thread(this, "transfers");
        private volatile boolean stopped;
        private volatile Exception failure;

        Writer(PgTestDb db) throws Exception {
            this.connection = DriverManager.getConnection(PgTestDb.JDBC);
            this.a = db.q("accounts_a");
            this.b = db.q("accounts_b");
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        long transfers() {
            return transfers.get();
        }

        void awaitTransfers(long n) throws InterruptedException {
            while (transfers.get() < n && failure == null) {
                Thread.sleep(10);
            }
        }

        @Override
        public void run() {
            Random random = new Random(19);
            try (connection;
                    PreparedStatement debitA = connection.prepareStatement("UPDATE " + a + " SET balance = balance - ? WHERE id = ?");
                    PreparedStatement creditB = connection.prepareStatement("UPDATE " + b + " SET balance = balance + ? WHERE id = ?")) {
                connection.setAutoCommit(false);
                while (!stopped) {
                    // a negative amount moves money the other way: from b to a
                    long amount = random.nextInt(201) - 100;
                    debitA.setLong(1, amount);
                    debitA.setLong(2, 1 + random.nextInt(ACCOUNTS));
                    creditB.setLong(1, amount);
                    creditB.setLong(2, 1 + random.nextInt(ACCOUNTS));
                    debitA.executeUpdate();
                    creditB.executeUpdate();
                    connection.commit();
                    transfers.incrementAndGet();
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        void stop() throws Exception {
            stopped = true;
            thread.join(10_000);
            if (failure != null) {
                throw failure;
            }
        }
    }
}
