package io.spillway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.TableInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split size the planner takes for {@code --split-size auto}, and that a given one is kept. */
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

    private static JobConfig job(long splitSize) {
        return new JobConfig("duckdb:x", "out", Format.CSV, Compression.NONE, JobConfig.DEFAULT_MAX_FILE_SIZE, splitSize,
                List.of(), List.of(), JobConfig.Versioning.REPLACE, 10, 1, 0, Duration.ofHours(1));
    }
}
