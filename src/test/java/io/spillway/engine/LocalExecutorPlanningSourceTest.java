package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.engine.LocalExecutor.Outcome;
import io.spillway.plan.Plans;
import io.spillway.source.Sources;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.spi.UnitSink;
import io.spillway.store.local.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spillway run} hands the source it planned with to the first task attempt on a thread, which exports with
 * it instead of opening its own: the export is the same, the source is closed once, and an attempt that fails on
 * it is retried on a source of its own.
 */
class LocalExecutorPlanningSourceTest {
    @TempDir
    Path dir;

    @BeforeEach
    void warehouse() throws Exception {
        new ExportFixture(dir.resolve("w.db")).load(1);
    }

    @Test
    void theSourceThePlanWasMadeWithExportsATaskAndIsClosedOnce() throws Exception {
        Counting planning = runHandingOver(0);

        assertThat(planning.outcomes).extracting(Outcome::attempts).containsOnly(1);
        assertThat(planning.exported.get()).as("units exported with the planning source").isPositive();
        assertThat(planning.closed.get()).isEqualTo(1);
    }

    @Test
    void anAttemptThatFailsOnItIsRetriedOnASourceOfItsOwn() throws Exception {
        Counting planning = runHandingOver(1);

        assertThat(planning.outcomes).extracting(Outcome::attempts).containsExactlyInAnyOrder(1, 2);
        assertThat(planning.exported.get()).as("the failed attempt's export only").isZero();
        assertThat(planning.closed.get()).isEqualTo(1);
    }

    /**
     * As {@code RunCommand}: plans with a source that fails its first {@code failures} exports, then runs the two
     * tasks (one retry each), handing it over; every task succeeds and the export is the one made without it.
     */
    private Counting runHandingOver(int failures) throws Exception {
        Path dest = dir.resolve("out");
        JobConfig config = job(dest);
        Counting planning = new Counting(Sources.open(config.source()), failures);
        LocalStore store = new LocalStore(dest);
        Plans.loadOrHold(store, planning, config, "e", config.tasks(), Clock.systemUTC()).close();
        planning.outcomes = executor(config, "e").run(planning);

        assertThat(planning.outcomes).extracting(Outcome::exitCode).containsOnly(0);
        Path clean = dir.resolve("clean");
        assertThat(executor(job(clean), "clean").run(null)).extracting(Outcome::exitCode).containsOnly(0);
        assertThat(ExportFixture.verified(dest)).isEqualTo(ExportFixture.verified(clean)).hasSize(3);
        return planning;
    }

    /** The fixture's warehouse into {@code dest} on two tasks, one at a time, each retried once. */
    private JobConfig job(Path dest) throws Exception {
        JobConfig c = new ExportFixture(dir.resolve("w.db")).config(dest, JobConfig.Versioning.REPLACE);
        return new JobConfig(c.source(), c.dest(), c.format(), c.compression(), c.maxFileSize(), c.splitSize(),
                c.includes(), c.excludes(), c.layout(), 2, 1, 1, c.taskTimeout(), c.keep()).validate();
    }

    private LocalExecutor executor(JobConfig config, String execution) {
        return new LocalExecutor(config, execution, new LocalStore(Path.of(config.dest())), dir.resolve("logs"),
                new PrintWriter(new StringWriter()), false, false);
    }

    /** A source that counts its exports and closes, and fails its first {@code failures} exports. */
    private static final class Counting implements Source {
        final Source source;
        final AtomicInteger exported = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger failures;
        List<Outcome> outcomes;

        Counting(Source source, int failures) {
            this.source = source;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public String uri() {
            return source.uri();
        }

        @Override
        public List<TableInfo> tables() throws Exception {
            return source.tables();
        }

        @Override
        public List<TableInfo> listing() throws Exception {
            return source.listing();
        }

        @Override
        public List<TableInfo> tables(Collection<String> names) throws Exception {
            return source.tables(names);
        }

        @Override
        public List<Unit> units(TableInfo table, long splitSize) throws Exception {
            return source.units(table, splitSize);
        }

        @Override
        public void begin(String execution, Instant asOf, String moment) throws Exception {
            source.begin(execution, asOf, moment);
        }

        @Override
        public void export(Unit unit, UnitSink out) throws Exception {
            if (failures.getAndDecrement() > 0) {
                throw new IOException("the connection was reset");
            }
            source.export(unit, out);
            exported.incrementAndGet();
        }

        @Override
        public void close() throws Exception {
            closed.incrementAndGet();
            source.close();
        }
    }
}
