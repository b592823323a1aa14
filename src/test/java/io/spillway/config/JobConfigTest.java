package io.spillway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobConfigTest {
    private static final JobConfig JOB = new JobConfig("postgresql://u@h/db", "/tmp/x", Format.CSV, Compression.NONE,
            1L << 30, 0, List.of(), List.of(), JobConfig.Versioning.REPLACE, 2, 1, 0, Duration.ofHours(1));

    @Test
    void consistentIsPartOfTheFingerprintAndLeavesOtherJobsAsTheyWere() {
        assertThat(JOB.consistent()).as("the constructors of before --consistent").isFalse();
        assertThat(JOB.withConsistent(false).fingerprint()).isEqualTo(JOB.fingerprint());
        assertThat(JOB.withConsistent(true).fingerprint()).isNotEqualTo(JOB.fingerprint());
        // as before the option came (SHA-256 of "postgresql://u@h/db|csv|none|1073741824|0|||REPLACE"): the
        // plans of executions started before it still match their jobs
        assertThat(JOB.fingerprint()).isEqualTo("caf27d9230851c89b1b77a22d3e81e95");
    }
}
