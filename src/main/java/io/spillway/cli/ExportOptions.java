package io.spillway.cli;

import io.spillway.config.Durations;
import io.spillway.config.JobConfig;
import io.spillway.config.Sizes;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that say what to export and how, shared by run, task and plan. */
final class ExportOptions {
    @Option(names = "--source", paramLabel = "URI", description = "duckdb:PATH, postgresql://..., mysql://..., sqlite:PATH, bigquery://PROJECT/DATASET")
    String source;

    @Option(names = "--dest", paramLabel = "URI", description = "a folder, file:///PATH, gs://BUCKET[/PREFIX] or s3://BUCKET[/PREFIX]")
    String dest;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv, jsonl, parquet or avro (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--compression", paramLabel = "NAME",
            description = "csv, jsonl: none (default), gzip or zstd, the whole file; inside the file, parquet: snappy (default),"
                    + " zstd, gzip or none; avro: snappy (default), deflate, zstd or none")
    String compression;

    @Option(names = "--max-file-size", paramLabel = "SIZE", defaultValue = "1GiB", description = "roll over to a new file at this size (default: ${DEFAULT-VALUE})")
    String maxFileSize;

    @Option(names = "--split-size", paramLabel = "SIZE", defaultValue = "auto", description = "cut tables larger than this"
            + " into ranges, each its own unit; auto (default): about half a task's fair share, when there are several"
            + " tasks; never: one unit a table")
    String splitSize;

    @Option(names = "--include", paramLabel = "GLOB", split = ",", description = "export only tables matching these globs")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", split = ",", description = "skip tables matching these globs")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "replace", description = "replace (default) or versioned:"
            + " each execution writes <table>/run=<execution>/ and the manifest points to the current run")
    String layout;

    @Option(names = "--keep", paramLabel = "N", description = "with --layout versioned, older runs kept beside the current one (default: "
            + JobConfig.DEFAULT_KEEP + ")")
    Integer keep;

    @Option(names = "--no-snapshot", description = "read each table as it is when exported, not as of the plan's time"
            + " (BigQuery time travel; other sources read live tables anyway)")
    boolean noSnapshot;

    @Option(names = "--consistent", description = "every task reads one moment of the source (PostgreSQL: one exported"
            + " snapshot, held open by the task that plans until every unit is committed; see docs/sources.md)")
    boolean consistent;

    @Option(names = "--skip-unchanged", description = "leave out tables whose change marker equals the one their"
            + " manifest records (see docs/sources.md for what each source's marker sees)")
    boolean skipUnchanged;

    @Option(names = "--cursor", paramLabel = "TABLE=COLUMN", split = ",", description = "export the tables matching"
            + " TABLE (a glob) incrementally: only rows whose COLUMN is above the mark their manifest records, added"
            + " as new files; repeatable")
    List<String> cursors = new ArrayList<>();

    @Option(names = "--partition-by", paramLabel = "TABLE=COLUMN[:year|month|day]", split = ",", description = "write"
            + " the tables matching TABLE (a glob) in Hive-style folders, <table>/<column>=<value>/, one per value of"
            + " COLUMN (or per year, month or day of a date or timestamp: <column>_month=2024-05/); repeatable;"
            + " see docs/formats.md")
    List<String> partitions = new ArrayList<>();

    @Option(names = "--full-refresh", description = "ignore change markers and cursor marks: export every table in full")
    boolean fullRefresh;

    JobConfig config(int tasks, int parallelism, int maxRetries, String taskTimeout) {
        JobConfig.Versioning l;
        try {
            l = JobConfig.Versioning.valueOf(layout.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JobException("unknown --layout '" + layout + "': use replace or versioned");
        }
        if (keep != null && l != JobConfig.Versioning.VERSIONED) {
            throw new JobException("--keep applies to --layout versioned only: add --layout versioned or drop --keep");
        }
        Format f = Format.parse(format);
        return new JobConfig(source, dest, f, compression == null ? Compression.defaultFor(f) : Compression.parse(compression),
                Sizes.parse(maxFileSize), JobConfig.parseSplitSize(splitSize), includes == null ? List.of() : includes,
                excludes == null ? List.of() : excludes, l, tasks, parallelism, maxRetries,
                Durations.parse(taskTimeout), keep == null ? JobConfig.DEFAULT_KEEP : keep, !noSnapshot)
                .withConsistent(consistent)
                .withIncremental(skipUnchanged, (cursors == null ? List.<String>of() : cursors).stream()
                        .map(JobConfig.CursorRule::parse).toList(), fullRefresh)
                .withPartitions((partitions == null ? List.<String>of() : partitions).stream()
                        .map(JobConfig.PartitionRule::parse).toList())
                .validate();
    }
}
