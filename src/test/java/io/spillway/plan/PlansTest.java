package io.spillway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.config.JobConfig;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Column;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.spi.UnitSink;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The split size the planner takes for {@code --split-size auto}, that a given one is kept, and that
 * planning reads columns only where a rule needs them.
 */
class PlansTest {
    private static final long MIB = 1L << 20;
    private static final List<TableInfo> TABLES = List.of(new TableInfo("big", 1, 600 * MIB, List.of()),
            new TableInfo("mid", 1, 300 * MIB, List.of()), new TableInfo("small", 1, 100 * MIB, List.of()));

    @Test
    void autoIsHalfATasksFairShareOnSeveralTasksAndNeverOnOne() {
        assertThat(Plans.splitSize(job(JobConfig.AUTO_SPLIT), TABLES, 10)).isEqualTo(50 * MIB);
        assertThat(Plans.splitSize(job(JobConfig.AUTO_SPLIT), TABLES, 2)).isEqualTo(250 * MIB);
        assertThat(Plans.splitSize(job(JobConfig.AUTO_SPLIT), TABLES, 1)).isZero();
    }

    @Test
    void autoCutsNothingSmallerThanItsFloor() {
        List<TableInfo> small = List.of(new TableInfo("a", 1, 10 * MIB, List.of()), new TableInfo("b", 1, MIB, List.of()));
        assertThat(Plans.splitSize(job(JobConfig.AUTO_SPLIT), small, 8)).isEqualTo(Plans.MIN_AUTO_SPLIT);
    }

    @Test
    void belowTheFloorOneTableTakesAWholeShareAndManyTheFloor() {
        // one table of 434 MiB on 24 tasks: half a share (9 MiB) is under the floor; units of the floor make 28,
        // four tasks doing two of them, units of a share (18.1 MiB) make 24, one a task
        List<TableInfo> one = List.of(new TableInfo("one", 1, 434 * MIB, List.of()));
        long split = Plans.splitSize(job(JobConfig.AUTO_SPLIT), one, 24);
        assertThat(split).isEqualTo((434 * MIB + 23) / 24);
        assertThat(Plans.imbalance(new long[] {434 * MIB}, split, 24)).isLessThan(1.001);
        assertThat(Plans.imbalance(new long[] {434 * MIB}, Plans.MIN_AUTO_SPLIT, 24)).isGreaterThan(1.7);

        // ten tables of 40 MiB on 16 tasks: the floor cuts each in three (1.07 times the mean), a share in two (1.60)
        List<TableInfo> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(new TableInfo("t" + i, 1, 40 * MIB, List.of()));
        }
        assertThat(Plans.splitSize(job(JobConfig.AUTO_SPLIT), ten, 16)).isEqualTo(Plans.MIN_AUTO_SPLIT);
        long[] sizes = ten.stream().mapToLong(TableInfo::estimatedBytes).toArray();
        assertThat(Plans.imbalance(sizes, Plans.MIN_AUTO_SPLIT, 16)).isBetween(1.06, 1.07);
        assertThat(Plans.imbalance(sizes, 25 * MIB, 16)).isBetween(1.59, 1.61);
    }

    @Test
    void aGivenSplitSizeOrNeverIsKept() {
        assertThat(Plans.splitSize(job(0), TABLES, 10)).isZero();
        assertThat(Plans.splitSize(job(7 * MIB), TABLES, 10)).isEqualTo(7 * MIB);
    }

    @Test
    void theOptionReadsAutoNeverAndSizes() {
        assertThat(JobConfig.parseSplitSize("auto")).isEqualTo(JobConfig.AUTO_SPLIT);
        assertThat(JobConfig.parseSplitSize("NEVER")).isZero();
        assertThat(JobConfig.parseSplitSize("64MiB")).isEqualTo(64 * MIB);
        assertThat(JobConfig.splitSizeText(JobConfig.AUTO_SPLIT)).isEqualTo("auto");
        assertThat(JobConfig.splitSizeText(0)).isEqualTo("never");
    }

    @Test
    void planningReadsColumnsOnlyOfTheTablesARuleNames() throws Exception {
        Catalogue source = new Catalogue();
        Plan plain = Plans.make(source, job(0), "e1", 2, Clock.systemUTC());
        assertThat(plain.tables()).containsExactly("big", "mid", "small");
        assertThat(source.lookedUp).isEmpty();
        assertThat(source.fullListings).isZero();

        JobConfig cursor = job(0).withIncremental(false, List.of(JobConfig.CursorRule.parse("m*=id")), false);
        assertThat(Plans.make(source, cursor, "e2", 2, Clock.systemUTC()).tables()).containsExactly("big", "mid", "small");
        assertThat(source.lookedUp).containsExactly(Set.of("mid"));
        JobConfig wrongColumn = job(0).withIncremental(false, List.of(JobConfig.CursorRule.parse("mid=nope")), false);
        assertThatThrownBy(() -> Plans.make(source, wrongColumn, "e3", 2, Clock.systemUTC()))
                .isInstanceOf(JobException.class).hasMessageContaining("columns: id, amount");

        JobConfig skip = job(0).withIncremental(true, List.of(), false); // compares every table's columns with its manifest
        Plans.make(source, skip, "e4", 2, Clock.systemUTC());
        assertThat(source.fullListings).isOne();
    }

    /** A source whose listing has no columns, counting what planning asks of it. */
    private static final class Catalogue implements Source {
        final List<Set<String>> lookedUp = new ArrayList<>();
        int fullListings;

        @Override
        public String uri() {
            return "fake:catalogue";
        }

        @Override
        public List<TableInfo> listing() {
            return TABLES;
        }

        @Override
        public List<TableInfo> tables() {
            fullListings++;
            return TABLES.stream().map(Catalogue::withColumns).toList();
        }

        @Override
        public List<TableInfo> tables(Collection<String> names) {
            lookedUp.add(Set.copyOf(names));
            return TABLES.stream().filter(t -> names.contains(t.name())).map(Catalogue::withColumns).toList();
        }

        private static TableInfo withColumns(TableInfo t) {
            return new TableInfo(t.name(), t.estimatedRows(), t.estimatedBytes(),
                    List.of(new Column("id", "bigint"), new Column("amount", "double")));
        }

        @Override
        public Optional<String> cursorMark(TableInfo table, String column) {
            return Optional.of("42");
        }

        @Override
        public void export(Unit unit, UnitSink out) {
            throw new UnsupportedOperationException("planning exports nothing");
        }
    }

    private static JobConfig job(long splitSize) {
        return new JobConfig("duckdb:x", "out", Format.CSV, Compression.NONE, JobConfig.DEFAULT_MAX_FILE_SIZE, splitSize,
                List.of(), List.of(), JobConfig.Versioning.REPLACE, 10, 1, 0, Duration.ofHours(1));
    }
}
