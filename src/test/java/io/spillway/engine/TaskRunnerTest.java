package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.plan.Plans;
import io.spillway.publish.Journal;
import io.spillway.publish.UnitRecord;
import io.spillway.source.Sources;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.Unit;
import io.spillway.store.CountingStore;
import io.spillway.store.FaultyStore;
import io.spillway.store.MemoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One task attempt on a store in memory, wired by the test as the CLI wires it: resume, duplicate
 * copies of a task, a kill between the last commit and the publish, the manifest, a plan of
 * another job. No processes; each test runs in well under a second.
 */
class TaskRunnerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T06:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private ExportFixture fixture;
    private JobConfig config;
    private Map<String, List<String>> expected;

    @BeforeEach
    void cleanExport() throws Exception {
        fixture = new ExportFixture(tmp.resolve("warehouse.sqlite"));
        fixture.load(1);
        config = fixture.config(tmp.resolve("unused"), JobConfig.Versioning.REPLACE);
        MemoryStore clean = new MemoryStore("mem://clean");
        assertThat(runAll(clean, "clean", 0)).allMatch(s -> s.state() == TaskStatus.State.SUCCEEDED);
        expected = ExportFixture.verified(clean);
        assertThat(expected).containsOnlyKeys(ExportFixture.TABLES);
    }

    @Test
    void aRetriedAttemptSkipsTheUnitsItsKilledAttemptCommittedAndPublishes() throws Exception {
        MemoryStore store = new MemoryStore("mem://resume");
        Plan plan = plan(store, "e1");
        int killAt = 1;
        for (;; killAt++) { // the first step after which task 0 has committed a unit and not yet published
            MemoryStore probe = new MemoryStore("mem://probe");
            plan(probe, "e1");
            FaultyStore dying = new FaultyStore(probe, killAt);
            assertThatThrownBy(() -> run(dying, "e1", 0, 0)).isInstanceOf(FaultyStore.Crash.class);
            if (committed(probe, plan, 0) > 0) {
                break;
            }
        }
        FaultyStore dying = new FaultyStore(store, killAt);
        assertThatThrownBy(() -> run(dying, "e1", 0, 0)).isInstanceOf(FaultyStore.Crash.class);
        int before = committed(store, plan, 0);
        assertThat(before).isPositive().isLessThan(plan.unitsOf(0).size());

        TaskStatus retry = run(store, "e1", 0, 1);
        TaskStatus other = run(store, "e1", 1, 0);

        assertThat(retry.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
        assertThat(retry.unitsSkipped()).isEqualTo(before);
        assertThat(retry.unitsDone()).isEqualTo(plan.unitsOf(0).size() - before);
        assertThat(other.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
        assertThat(ExportFixture.verified(store)).isEqualTo(expected);
        assertThat(store.list(Layout.staging("e1"))).isEmpty();
    }

    @Test
    void twoCopiesOfOneTaskAtOnceCommitEachUnitOnceAndBothSucceed() throws Exception {
        MemoryStore store = new MemoryStore("mem://twice");
        Plan plan = plan(store, "e1");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<TaskStatus>> copies = List.of(pool.submit(() -> {
                start.await();
                return run(store, "e1", 0, 0);
            }), pool.submit(() -> {
                start.await();
                return run(store, "e1", 0, 0);
            }));
            start.countDown();
            int done = 0;
            for (Future<TaskStatus> copy : copies) {
                TaskStatus s = copy.get(60, TimeUnit.SECONDS);
                assertThat(s.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
                done += s.unitsDone();
            }
            assertThat(done).as("units committed by the two copies together").isEqualTo(plan.unitsOf(0).size());
        } finally {
            pool.shutdownNow();
        }
        run(store, "e1", 1, 0);
        assertThat(ExportFixture.verified(store)).isEqualTo(expected);
        for (Plan.Assignment a : plan.assignments()) {
            assertThat(store.list(Layout.unitRecord("e1", a.unit().table(), a.unit().part()))).hasSize(1);
        }
    }

    @Test
    void aTaskKilledBetweenItsLastCommitAndThePublishIsFinishedByItsRetry() throws Exception {
        MemoryStore store = new MemoryStore("mem://publish");
        Plan plan = plan(store, "e1");
        run(store, "e1", 1, 0);
        // killed right after task 0 commits its last unit: the tables that unit completes are not published
        List<Unit> mine = plan.unitsOf(0);
        Unit last = mine.get(mine.size() - 1);
        String lastCommit = "create " + Layout.unitRecord("e1", last.table(), last.part());
        FaultyStore dying = new FaultyStore(store, 0).dieAfter(lastCommit::equals);
        assertThatThrownBy(() -> run(dying, "e1", 0, 0)).isInstanceOf(FaultyStore.Crash.class);
        assertThat(committed(store, plan, 0)).isEqualTo(plan.unitsOf(0).size());
        assertThat(store.read(Layout.published("e1", last.table()))).as("published by the killed task").isEmpty();

        TaskStatus retry = run(store, "e1", 0, 1);
        assertThat(retry.unitsDone()).isZero();
        assertThat(retry.unitsSkipped()).isEqualTo(plan.unitsOf(0).size());
        assertThat(ExportFixture.verified(store)).isEqualTo(expected);
        assertThat(new Journal(store, CLOCK, Journal.defaultLease()).unfinished()).isEmpty();
    }

    @Test
    void aTableWhoseUnitsAreAllCommittedIsPublishedWhileTheTaskExportsItsNextTables() throws Exception {
        MemoryStore memory = new MemoryStore("mem://early");
        Plan plan = plan(memory, "e1");
        run(memory, "e1", 1, 0); // task 1's units are committed: each table is complete once task 0's are
        List<Unit> mine = plan.unitsOf(0);
        Unit last = mine.get(mine.size() - 1);
        String first = mine.get(0).table();
        assertThat(first).as("task 0 exports another table before its last one").isNotEqualTo(last.table());
        String lastRecord = Layout.unitRecord("e1", last.table(), last.part());
        java.util.concurrent.atomic.AtomicBoolean publishedBeforeLastCommit = new java.util.concurrent.atomic.AtomicBoolean();
        Store store = new io.spillway.store.DelegatingStore(memory) {
            @Override
            public boolean createIfAbsent(String path, byte[] content) throws java.io.IOException {
                if (path.equals(lastRecord)) { // the task's last commit waits, up to 10 s, for the first table's publish
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (read(Layout.manifest(first)).isEmpty() && System.nanoTime() < until) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                    }
                    publishedBeforeLastCommit.set(read(Layout.manifest(first)).isPresent());
                }
                return super.createIfAbsent(path, content);
            }
        };

        TaskStatus status = run(store, "e1", 0, 0);

        assertThat(status.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
        assertThat(publishedBeforeLastCommit).as(first + " published before the task's last unit was committed").isTrue();
        assertThat(ExportFixture.verified(memory)).isEqualTo(expected);
        assertThat(memory.list(Layout.staging("e1"))).isEmpty();
    }

    @Test
    void aPublishThatFailsBesideTheExportFailsTheAttemptAndItsRetryFinishesIt() throws Exception {
        MemoryStore memory = new MemoryStore("mem://failing-publish");
        Plan plan = plan(memory, "e1");
        run(memory, "e1", 1, 0);
        java.util.concurrent.atomic.AtomicBoolean failedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        Store store = new io.spillway.store.DelegatingStore(memory) {
            @Override
            public void move(String from, String to) throws java.io.IOException {
                if (failedOnce.compareAndSet(false, true)) { // the first file a publish moves
                    throw new java.io.IOException("the bucket refused the copy");
                }
                super.move(from, to);
            }
        };

        assertThatThrownBy(() -> run(store, "e1", 0, 0)).hasMessageContaining("the bucket refused the copy");

        assertThat(failedOnce).isTrue();
        TaskStatus failed = Json.read(memory.read(Layout.taskStatus("e1", 0)).orElseThrow(), TaskStatus.class, "s");
        assertThat(failed.state()).isEqualTo(TaskStatus.State.FAILED);
        TaskStatus retry = run(memory, "e1", 0, 1);
        assertThat(retry.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
        assertThat(retry.unitsSkipped()).as("committed before the failure").isPositive();
        assertThat(retry.unitsSkipped() + retry.unitsDone()).isEqualTo(plan.unitsOf(0).size());
        assertThat(ExportFixture.verified(memory)).isEqualTo(expected);
        assertThat(new Journal(memory, CLOCK, Journal.defaultLease()).unfinished()).isEmpty();
    }

    @Test
    void theManifestListsEveryUnitsFilesWithTheirRowsAndTheUnitRecordsAddUp() throws Exception {
        MemoryStore store = new MemoryStore("mem://manifest");
        Plan plan = plan(store, "e1");
        runAll(store, "e1", 0);
        for (String table : ExportFixture.TABLES) {
            var manifest = Json.read(store.read(Layout.manifest(table)).orElseThrow(),
                    io.spillway.layout.Manifest.class, "manifest");
            long unitRows = 0;
            for (Unit u : plan.unitsOfTable(table)) {
                unitRows += Json.read(store.read(Layout.unitRecord("e1", table, u.part())).orElseThrow(),
                        UnitRecord.class, "record").rows();
            }
            assertThat(manifest.execution()).isEqualTo("e1");
            assertThat(manifest.plannedAt()).isEqualTo(CLOCK.instant());
            assertThat(manifest.rows()).isEqualTo(unitRows).isPositive();
            assertThat(manifest.files()).extracting(f -> f.name()).isSorted().doesNotHaveDuplicates();
        }
        assertThat(plan.unitsOfTable("accounts")).as("the fixture splits accounts").hasSizeGreaterThan(1);
    }

    @Test
    void aTaskReadsItsSliceOfTheStoredPlanNotTheWholePlan() throws Exception {
        CountingStore store = new CountingStore(new MemoryStore("mem://slice"));
        run(store, "e1", 0, 0); // plans and stores the plan
        store.reset();

        assertThat(run(store, "e1", 1, 0).state()).isEqualTo(TaskStatus.State.SUCCEEDED);

        assertThat(store.bytesRead()).containsKey(Layout.planSlice("e1", 1)).doesNotContainKey(Layout.plan("e1"));
        assertThat(ExportFixture.verified(store)).isEqualTo(expected);
    }

    @Test
    void aStoredPlanOfAnotherJobOrTaskCountIsRefused() throws Exception {
        MemoryStore store = new MemoryStore("mem://refuse");
        plan(store, "e1");
        JobConfig jsonl = new JobConfig(config.source(), config.dest(), Format.JSONL, config.compression(),
                config.maxFileSize(), config.splitSize(), config.includes(), config.excludes(), config.layout(),
                config.tasks(), 1, 0, config.taskTimeout());
        assertThatThrownBy(() -> run(jsonl, store, new TaskContext(0, 2, 0, "e1", "test")))
                .isInstanceOf(JobException.class).hasMessageContaining("planned for a different job");
        assertThatThrownBy(() -> run(config, store, new TaskContext(0, 3, 0, "e1", "test")))
                .isInstanceOf(JobException.class).hasMessageContaining("planned for 2 tasks");
        assertThat(store.list(Layout.tableDir("accounts"))).isEmpty();
    }

    private Plan plan(Store store, String execution) throws Exception {
        try (Source source = Sources.open(config.source())) {
            return Plans.loadOrMake(store, source, config, execution, config.tasks(), CLOCK);
        }
    }

    private List<TaskStatus> runAll(Store store, String execution, int attempt) throws Exception {
        return List.of(run(store, execution, 0, attempt), run(store, execution, 1, attempt));
    }

    private TaskStatus run(Store store, String execution, int task, int attempt) throws Exception {
        return run(config, store, new TaskContext(task, config.tasks(), attempt, execution, "test"));
    }

    private static TaskStatus run(JobConfig job, Store store, TaskContext context) throws Exception {
        try (Source source = Sources.open(job.source())) {
            return new TaskRunner(job, context, CLOCK, Journal.defaultLease()).run(source, store);
        }
    }

    private static int committed(Store store, Plan plan, int task) throws Exception {
        int n = 0;
        for (Unit u : plan.unitsOf(task)) {
            n += store.read(Layout.unitRecord(plan.execution(), u.table(), u.part())).isPresent() ? 1 : 0;
        }
        return n;
    }
}
