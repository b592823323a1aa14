package io.spillway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.layout.Layout;
import io.spillway.source.Sources;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.KeyRange;
import io.spillway.spi.Source;
import io.spillway.spi.Unit;
import io.spillway.store.CountingStore;
import io.spillway.store.MemoryStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task reads its slice of the stored plan, which answers for its tasks and tables as the whole plan does. */
class PlanSlicesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T06:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void aTaskReadsOnlyItsSliceWhateverTheTableCountAndListsNothing() throws Exception {
        long small = planBytesReadByTask42(200, 100);
        long large = planBytesReadByTask42(4000, 2000); // 20 times the tables and tasks, 8 tasks a slice
        assertThat(small).isPositive();
        assertThat(large).isLessThan(8 * small + 2048); // its slice's 8 tasks, not the 4000 tables
    }

    /** Plans {@code tables} one-row tables on {@code tasks} tasks (stored by task 0); the plan bytes task 42 reads then. */
    private long planBytesReadByTask42(int tables, int tasks) throws Exception {
        Path db = tmp.resolve("t" + tables + ".sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < tables; i++) {
                s.execute("CREATE TABLE t" + i + " (id INTEGER PRIMARY KEY, v TEXT)");
                s.execute("INSERT INTO t" + i + " VALUES (" + i + ", 'row')");
            }
            c.commit();
        }
        JobConfig config = job("sqlite:" + db, tasks);
        CountingStore store = new CountingStore(new MemoryStore("mem://slices-" + tables));
        Source source = Sources.open(config.source());
        Plan whole;
        try (source) {
            whole = Plans.loadOrHold(store, source, config, "e1", tasks, 0, CLOCK).plan();
        }
        store.reset();
        // the source is closed: a task that listed the catalogue again would fail here
        Plan slice = Plans.loadOrHold(store, source, config, "e1", tasks, 42, CLOCK).plan();

        Map<String, Long> read = store.bytesRead();
        assertThat(read).containsOnlyKeys(Layout.planSlice("e1", PlanSlices.first(42, tasks)));
        assertThat(slice.unitsOf(42)).isEqualTo(whole.unitsOf(42)).isNotEmpty();
        assertThat(read.values().iterator().next()).isLessThan(store.read(Layout.plan("e1")).orElseThrow().length / 10);
        return read.values().iterator().next();
    }

    @Test
    void eachSliceAnswersForItsTasksAndTheirTablesAsTheWholePlan() {
        List<Unit> units = new ArrayList<>();
        for (int t = 0; t < 300; t++) {
            int parts = t % 7 == 0 ? 5 : 1; // split tables whose parts land on tasks of other slices
            for (int p = 0; p < parts; p++) {
                units.add(parts == 1 ? Unit.whole("t" + t, 100 + t)
                        : new Unit("t" + t, p, parts, KeyRange.integers("id", p == 0 ? null : p * 10L,
                                p == parts - 1 ? null : (p + 1) * 10L, false), 1000 + t));
            }
        }
        List<Plan.TableMarks> marks = List.of(new Plan.TableMarks("t7", "m7", null, null, null, null),
                new Plan.TableMarks("t8", "m8", null, null, null, null),
                new Plan.TableMarks("gone", "m", null, null, null, "unchanged"));
        int tasks = 600; // 3 tasks a slice
        Plan whole = new Plan("e1", CLOCK.instant(), tasks, "f", Planner.assign(units, tasks), "moment", marks);

        List<Plan> slices = PlanSlices.of(whole);
        assertThat(slices).hasSize(200);
        for (int task = 0; task < tasks; task++) {
            Plan slice = slices.get(PlanSlices.first(task, tasks) / PlanSlices.tasksPerSlice(tasks));
            assertThat(List.of(slice.execution(), slice.createdAt(), slice.tasks(), slice.fingerprint(), slice.moment()))
                    .isEqualTo(List.of(whole.execution(), whole.createdAt(), whole.tasks(), whole.fingerprint(),
                            whole.moment()));
            assertThat(slice.unitsOf(task)).isEqualTo(whole.unitsOf(task));
            for (Unit u : slice.unitsOf(task)) {
                assertThat(slice.unitsOfTable(u.table())).isEqualTo(whole.unitsOfTable(u.table()));
                assertThat(slice.marksOf(u.table())).isEqualTo(whole.marksOf(u.table()));
            }
        }
    }

    @Test
    void aPlanStoredWithoutSlicesIsReadWhole() throws Exception {
        Plan whole = new Plan("e1", CLOCK.instant(), 3, job("sqlite:x", 3).fingerprint(),
                Planner.assign(List.of(Unit.whole("a", 1), Unit.whole("b", 2), Unit.whole("c", 3)), 3));
        MemoryStore store = new MemoryStore("mem://old-plan");
        store.createIfAbsent(Layout.plan("e1"), io.spillway.layout.Json.write(whole)); // as stored before slices

        assertThat(Plans.find(store, "e1", 3, 1)).hasValue(whole);
        PlanSlices.store(store, whole);
        assertThat(Plans.find(store, "e1", 3, 1).orElseThrow().assignments()).isEqualTo(whole.unitsOfTable("b")
                .stream().map(u -> new Plan.Assignment(1, u)).toList());
    }

    private static JobConfig job(String source, int tasks) {
        return new JobConfig(source, "mem://x", Format.CSV, Compression.NONE, JobConfig.DEFAULT_MAX_FILE_SIZE,
                JobConfig.AUTO_SPLIT, List.of(), List.of(), JobConfig.Versioning.REPLACE, tasks, 1, 0,
                Duration.ofHours(1));
    }
}
