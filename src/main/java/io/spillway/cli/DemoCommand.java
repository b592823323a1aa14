package io.spillway.cli;

import io.spillway.config.JobConfig;
import io.spillway.config.Sizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Makes a demo warehouse of 30 unequal tables in DuckDB and exports it with several tasks to a local folder. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Makes demo/warehouse.duckdb (30 tables of unequal sizes) and exports it to demo/export.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "demo", description = "where to put the demo (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "10", description = "number of tasks (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--parallelism", paramLabel = "P", description = "tasks at once (default: the number of cores)")
    Integer parallelism;

    @Option(names = "--scale", paramLabel = "X", defaultValue = "1", description = "multiplies every table's rows (default: ${DEFAULT-VALUE})")
    double scale;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Path warehouse = dir.resolve("warehouse.duckdb");
        if (!Files.exists(warehouse)) {
            Files.createDirectories(dir);
            long rows = create(warehouse, scale);
            out.printf("Made %s: 30 tables, %d rows%n", warehouse, rows);
        } else {
            out.printf("Using %s (delete it to make a new one)%n", warehouse);
        }
        Path export = dir.resolve("export");
        int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        JobConfig config = new JobConfig("duckdb:" + warehouse, export.toString(), io.spillway.spi.Format.CSV,
                io.spillway.spi.Compression.NONE, JobConfig.DEFAULT_MAX_FILE_SIZE, JobConfig.AUTO_SPLIT, List.of(), List.of(),
                JobConfig.Versioning.REPLACE, tasks, p, 2, Duration.ofMinutes(30)).validate();
        int code = RunCommand.run(config, null, false, out);
        if (code == 0) {
            long bytes;
            try (var files = Files.walk(export)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            out.printf("Done: %s holds one folder per table (%s in all), e.g. %s%n", export.toAbsolutePath(),
                    Sizes.format(bytes), export.resolve("dummy_01").toAbsolutePath());
        }
        return code;
    }

    /** The classic dummy_01..dummy_30 (id, name, age) plus columns of other types; sizes differ ~2000-fold. */
    static long create(Path file, double scale) throws Exception {
        long total = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                Statement s = c.createStatement()) {
            for (int i = 1; i <= 30; i++) {
                long rows = Math.max(1, Math.round(scale * 200 * Math.pow(1.3, (i * 7) % 30)));
                total += rows;
                s.execute(String.format("""
                        CREATE TABLE dummy_%02d AS
                        SELECT i AS id,
                               'name_' || i AS name,
                               (18 + i %% 60)::INTEGER AS age,
                               CASE WHEN i %% 7 = 0 THEN NULL ELSE 'user' || i || '@example.com' END AS email,
                               round((i * 37 %% 1000) / 10.0, 1)::DOUBLE AS score,
                               i %% 2 = 0 AS active,
                               DATE '2020-01-01' + (i %% 1500)::INTEGER AS signed_up,
                               TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 61) AS last_seen,
                               (i * 12.34 %% 100000)::DECIMAL(12,2) AS balance,
                               CASE i %% 5 WHEN 0 THEN '' WHEN 1 THEN 'said "hi", then left' WHEN 2 THEN 'line one
                        line two' WHEN 3 THEN NULL ELSE 'plain' END AS note
                        FROM range(1, %d + 1) t(i)""", i, rows));
            }
        }
        return total;
    }
}
