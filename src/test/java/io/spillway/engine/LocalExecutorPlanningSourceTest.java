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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void theSourceThePlanWasMadeWithExportsATaskAndIsClosedOnce() throws Exception {
        Path dest = dir.resolve("out");
        JobConfig config = job(dest, 0);
        Counting planning = new Counting(Sources.open(config.source()), 0);
        List<Outcome> outcomes = runAfterPlanning(config, dest, planning);

        assertThat(outcomes).extracting(Outcome::exitCode).containsOnly(0);
        assertThat(outcomes).extracting(Outcome::attempts).containsOnly(1);
        assertThat(planning.exported.get()).as("units exported with the planning source").isPositive();
        assertThat(planning.closed.get()).isEqualTo(1);
        assertThat(ExportFixture.verified(dest)).isEqualTo(cleanExport(dir.resolve("clean"))).hasSize(3);
    }

    @Test
    void anAttemptThatFailsOnItIsRetriedOnASourceOfItsOwn() throws Exception {
        Path dest = dir.resolve("out");
        JobConfig config = job(dest, 1);
        Counting planning = new Counting(Sources.open(config.source()), 1);
        List<Outcome> outcomes = runAfterPlanning(config, dest, planning);

        assertThat(outcomes).extracting(Outcome::exitCode).containsOnly(0);
        assertThat(outcomes).extracting(Outcome::attempts).containsExactlyInAnyOrder(1, 2);
        assertThat(planning.exported.get()).as("the failed attempt's export only").isZero();
        assertThat(planning.closed.get()).isEqualTo(1);
        assertThat(ExportFixture.verified(dest)).isEqualTo(cleanExport(dir.resolve("clean")));
    }

    /** The fixture's warehouse on two tasks, one at a time, with {@code retries}. */
    private JobConfig job(Path dest, int retries) throws Exception {
        ExportFixture fixture = new ExportFixture(dir.resolve("w.db"));
        fixture.load(1);
        JobConfig c = fixture.config(dest, JobConfig.Versioning.REPLACE);
        return new JobConfig(c.source(), c.dest(), c.format(), c.compression(), c.maxFileSize(), c.splitSize(),
                c.includes(), c.excludes(), c.layout(), 2, 1, retries, c.taskTimeout(), c.keep()).validate();
    }

    /** As {@code RunCommand}: plans with {@code planning}, then runs the tasks, handing it over. */
    private List<Outcome> runAfterPlanning(JobConfig config, Path dest, Source planning) throws Exception {
        LocalStore store = new LocalStore(dest);
        Plans.loadOrHold(store, planning, config, "e", config.tasks(), Clock.systemUTC()).close();
        return new LocalExecutor(config, "e", store, dir.resolve("logs"), new PrintWriter(new StringWriter()), false,
                false).run(planning);
    }

    /** The same job exported without a planning source handed over. */
    private Map<String, List<String>> cleanExport(Path dest) throws Exception {
        List<Outcome> outcomes = new LocalExecutor(job(dest, 0), "clean", new LocalStore(dest), dir.resolve("logs"),
                new PrintWriter(new StringWriter()), false, false).run(null);
        assertThat(outcomes).extracting(Outcome::exitCode).containsOnly(0);
        return ExportFixture.verified(dest);
    }

    /** A source that counts its exports and closes, and fails its first {@code failures} exports. */
    private static final class Counting implements Source {
        final Source source;
        final AtomicInteger exported = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger failures;

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
