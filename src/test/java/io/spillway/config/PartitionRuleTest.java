package io.spillway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.config.JobConfig.PartitionRule;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionRuleTest {
    private static final JobConfig JOB = new JobConfig("duckdb:w.duckdb", "/tmp/x", Format.CSV, Compression.NONE,
            1L << 30, 0, List.of(), List.of(), JobConfig.Versioning.REPLACE, 2, 1, 0, Duration.ofHours(1));

    @Test
    void readsTableColumnAndGranularity() {
        assertThat(PartitionRule.parse("orders=region")).isEqualTo(new PartitionRule("orders", "region", null));
        assertThat(PartitionRule.parse("events_*=created_at:month"))
                .isEqualTo(new PartitionRule("events_*", "created_at", ChronoUnit.MONTHS));
        assertThat(PartitionRule.parse(" t = d : YEAR ").granularity()).isEqualTo(ChronoUnit.YEARS);
        assertThat(PartitionRule.parse("t=d:day")).hasToString("t=d:day");
        assertThat(PartitionRule.parse("a=b=c").column()).as("the column follows the last '='").isEqualTo("c");
    }

    @Test
    void refusesWhatIsNotTableEqualsColumn() {
        for (String bad : List.of("orders", "=region", "orders=", "orders=:month")) {
            assertThatThrownBy(() -> PartitionRule.parse(bad)).isInstanceOf(JobException.class)
                    .hasMessageContaining("--partition-by '" + bad + "' is not TABLE=COLUMN[:year|month|day]")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> PartitionRule.parse("t=created_at:week")).isInstanceOf(JobException.class)
                .hasMessage("--partition-by 't=created_at:week': unknown granularity 'week', use year, month or day"
                        + " (or none: one folder per value)");
    }

    @Test
    void rulesArePartOfTheFingerprintAndLeaveOtherJobsAsTheyWere() {
        assertThat(JOB.partitions()).isEmpty();
        assertThat(JOB.withPartitions(List.of()).fingerprint()).isEqualTo(JOB.fingerprint());
        JobConfig byMonth = JOB.withPartitions(List.of(PartitionRule.parse("t=d:month")));
        assertThat(byMonth.fingerprint()).isNotEqualTo(JOB.fingerprint())
                .isNotEqualTo(JOB.withPartitions(List.of(PartitionRule.parse("t=d:day"))).fingerprint());
        assertThat(byMonth.withConsistent(false).withIncremental(false, List.of(), false).partitions())
                .as("kept by the other with... methods").hasSize(1);
    }
}
