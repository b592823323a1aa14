package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.config.JobConfig.PartitionRule;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.store.MemoryStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the local executor hands its task processes ({@code --isolate}): the job, read back to the same rules. */
class LocalExecutorEnvironmentTest {
    @Test
    void partitionRulesReachTheTaskProcesses() {
        List<PartitionRule> rules = List.of(PartitionRule.parse("orders=region"), PartitionRule.parse("ev*=at:month"));
        JobConfig config = new JobConfig("duckdb:w.duckdb", "mem://x", Format.CSV, Compression.NONE, 1L << 30, 0,
                List.of(), List.of(), JobConfig.Versioning.REPLACE, 2, 1, 0, Duration.ofHours(1)).withPartitions(rules);
        var executor = new LocalExecutor(config, "e", new MemoryStore("mem://x"), Path.of("logs"),
                new PrintWriter(new StringWriter()), false, true);
        String value = executor.environment(0, 1).get("SPILLWAY_PARTITION_BY");
        assertThat(value).isEqualTo("orders=region,ev*=at:month");
        assertThat(Arrays.stream(value.split(",")).map(PartitionRule::parse).toList()).isEqualTo(rules);
        var plain = new LocalExecutor(config.withPartitions(List.of()), "e", new MemoryStore("mem://x"), Path.of("logs"),
                new PrintWriter(new StringWriter()), false, true);
        assertThat(plain.environment(0, 1)).doesNotContainKey("SPILLWAY_PARTITION_BY");
    }

    @Test
    void taskProcessesThatRunAtOnceAreToldHowManyShareTheMachinesMemory() {
        assertThat(executor(4, 2).environment(3, 0)).containsEntry("SPILLWAY_TASKS_SHARING_MEMORY", "2");
        assertThat(executor(2, 8).environment(1, 0)).containsEntry("SPILLWAY_TASKS_SHARING_MEMORY", "2");
        assertThat(executor(4, 1).environment(0, 0)).doesNotContainKey("SPILLWAY_TASKS_SHARING_MEMORY");
        assertThat(executor(1, 4).environment(0, 0)).doesNotContainKey("SPILLWAY_TASKS_SHARING_MEMORY");
    }

    private static LocalExecutor executor(int tasks, int parallelism) {
        JobConfig config = new JobConfig("duckdb:w.duckdb", "mem://x", Format.CSV, Compression.NONE, 1L << 30, 0,
                List.of(), List.of(), JobConfig.Versioning.REPLACE, tasks, parallelism, 0, Duration.ofHours(1));
        return new LocalExecutor(config, "e", new MemoryStore("mem://x"), Path.of("logs"),
                new PrintWriter(new StringWriter()), false, true);
    }
}
