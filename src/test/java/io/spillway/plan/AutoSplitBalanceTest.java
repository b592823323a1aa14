package io.spillway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.source.duckdb.DuckDbSource;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.testing.Warehouse;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --split-size auto} on one large table, the commonest export there is: on N tasks the table becomes 2N
 * equal units, two a task, whatever N and whatever the table's size (a size that is not a multiple of 2N made
 * 2N + 1 units, one task doing three: 1.29 to 1.43 times the mean on 3, 5, 6, 9 or 10 tasks); on tasks so many
 * that half a share is under the 16 MiB floor, N units, one a task (the floor's units left four tasks of 24
 * doing two).
 */
class AutoSplitBalanceTest {
    @TempDir
    Path dir;

    @Test
    void oneTableOnAnyTaskCountIsTwoEqualUnitsATask() throws Exception {
        Path db = dir.resolve("one.duckdb");
        try (var c = Warehouse.open(db); Statement s = c.createStatement()) {
            // over 400 MiB as DuckDB's source weighs it, a row count that divides by none of the task counts below
            s.execute("CREATE TABLE big AS SELECT range AS a, range * 3 AS b, range * 7 AS c, range * 11 AS d, range * 13 AS e, range * 17 AS f, range * 19 AS g"
                    + " FROM range(5000011)");
        }
        try (var source = DuckDbSource.open("duckdb:" + db)) {
            long size = source.listing().get(0).estimatedBytes();
            assertThat(size / (2L * 12)).as("the table is large enough for every task count").isGreaterThanOrEqualTo(Plans.MIN_AUTO_SPLIT);
            for (int tasks = 2; tasks <= 12; tasks++) {
                Plan plan = Plans.make(source, job(tasks), "e" + tasks, tasks, Clock.systemUTC());
                assertThat(plan.assignments()).as("units on %d tasks, table of %d bytes", tasks, size)
                        .hasSize(2 * tasks);
                assertThat(plan.imbalance()).as("largest task over the mean on %d tasks", tasks).isLessThan(1.001);
            }
            // on more tasks half a share is under the 16 MiB floor, and units of a whole share balance better
            for (int tasks : new int[] {20, 24}) {
                assertThat(size / (2L * tasks)).isLessThan(Plans.MIN_AUTO_SPLIT);
                assertThat(size / tasks).isGreaterThan(Plans.MIN_AUTO_SPLIT);
                Plan plan = Plans.make(source, job(tasks), "e" + tasks, tasks, Clock.systemUTC());
                assertThat(plan.assignments()).as("units on %d tasks, table of %d bytes", tasks, size).hasSize(tasks);
                assertThat(plan.imbalance()).as("largest task over the mean on %d tasks", tasks).isLessThan(1.001);
            }
        }
    }

    private static JobConfig job(int tasks) {
        return new JobConfig("duckdb:x", "out", Format.CSV, Compression.NONE, JobConfig.DEFAULT_MAX_FILE_SIZE,
                JobConfig.AUTO_SPLIT, List.of(), List.of(), JobConfig.Versioning.REPLACE, tasks, 1, 0, Duration.ofHours(1));
    }
}
