package io.spillway.config;

import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What to export and how: one immutable value shared by every task of an execution. The export
 * fields (everything but the executor's tasks, parallelism, retries and timeout) make up the
 * {@link #fingerprint()} that ties a stored plan to the job that made it. {@code snapshot} reads
 * every table as of the plan's time where the source can (BigQuery); {@code --no-snapshot} clears it.
 * {@code consistent} ({@code --consistent}) has every unit of every task read one moment of the source,
 * which the task that plans holds open until all units are committed (PostgreSQL).
 *
 * <p>{@code skipUnchanged} leaves out tables whose change marker equals their manifest's; {@code cursors}
 * export the tables they name incrementally, past the mark their manifest records; {@code fullRefresh}
 * ignores both markers and marks, exporting every table in full (see {@code plan.Plans}). {@code partitions}
 * ({@code --partition-by}) lay the tables they name out in Hive-style folders, one per value of a column.
 */
public record JobConfig(
        String source,
        String dest,
        Format format,
        Compression compression,
        long maxFileSize,
        long splitSize,
        List<String> includes,
        List<String> excludes,
        Versioning layout,
        int tasks,
        int parallelism,
        int maxRetries,
        Duration taskTimeout,
        int keep,
        boolean snapshot,
        boolean consistent,
        boolean skipUnchanged,
        List<CursorRule> cursors,
        boolean fullRefresh,
        List<PartitionRule> partitions) {

    public static final long DEFAULT_MAX_FILE_SIZE = 1L << 30;
    /** {@code --split-size auto}, the default: the planner chooses it from the tables and the task count. */
    public static final long AUTO_SPLIT = -1;
    /** Older runs a versioned layout keeps beside the current one, unless --keep says otherwise. */
    public static final int DEFAULT_KEEP = 1;

    public enum Versioning { REPLACE, VERSIONED }

    /** The most tasks of one execution: what Cloud Run Jobs and AWS Batch array jobs allow. */
    public static final int MAX_TASKS = 10_000;

    /** {@code --cursor TABLE=COLUMN}: the tables matching the glob {@code table} are exported by {@code column}. */
    public record CursorRule(String table, String column) {
        public CursorRule {
            Objects.requireNonNull(table, "table is null");
            Objects.requireNonNull(column, "column is null");
        }

        /** Reads {@code TABLE=COLUMN}; the column is everything after the last '='. */
        public static CursorRule parse(String text) {
            int eq = text.lastIndexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new JobException("--cursor '" + text + "' is not TABLE=COLUMN (TABLE may be a glob, e.g."
                        + " --cursor 'events_*=created_at')");
            }
            return new CursorRule(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
        }

        @Override
        public String toString() {
            return table + "=" + column;
        }
    }

    /**
     * {@code --partition-by TABLE=COLUMN[:year|month|day]}: the tables matching the glob {@code table} are
     * written in one folder per value of {@code column}, or per year, month or day of it ({@code granularity},
     * null for the value itself).
     */
    public record PartitionRule(String table, String column, ChronoUnit granularity) {
        private static final Map<String, ChronoUnit> GRANULARITIES = Map.of("year", ChronoUnit.YEARS, "month",
                ChronoUnit.MONTHS, "day", ChronoUnit.DAYS);

        public PartitionRule {
            Objects.requireNonNull(table, "table is null");
            Objects.requireNonNull(column, "column is null");
            if (granularity != null && !GRANULARITIES.containsValue(granularity)) {
                throw new IllegalArgumentException("granularity " + granularity + " is not years, months or days");
            }
        }

        /** Reads {@code TABLE=COLUMN[:year|month|day]}; the column is what follows the last '='. */
        public static PartitionRule parse(String text) {
            int eq = text.lastIndexOf('=');
            String example = " (TABLE may be a glob, e.g. --partition-by 'events_*=created_at:month' or"
                    + " --partition-by orders=region)";
            if (eq <= 0 || eq == text.length() - 1) {
                throw new JobException("--partition-by '" + text + "' is not TABLE=COLUMN[:year|month|day]" + example);
            }
            String column = text.substring(eq + 1).trim();
            ChronoUnit granularity = null;
            int colon = column.lastIndexOf(':');
            if (colon >= 0) {
                String g = column.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                granularity = GRANULARITIES.get(g);
                if (granularity == null) {
                    throw new JobException("--partition-by '" + text + "': unknown granularity '" + g
                            + "', use year, month or day (or none: one folder per value)");
                }
                column = column.substring(0, colon).trim();
            }
            if (text.substring(0, eq).isBlank() || column.isEmpty()) {
                throw new JobException("--partition-by '" + text + "' is not TABLE=COLUMN[:year|month|day]" + example);
            }
            return new PartitionRule(text.substring(0, eq).trim(), column, granularity);
        }

        /** {@code year}, {@code month} or {@code day}; null for the value itself. */
        public String granularityName() {
            return granularity == null ? null : GRANULARITIES.entrySet().stream()
                    .filter(e -> e.getValue() == granularity).findFirst().orElseThrow().getKey();
        }

        @Override
        public String toString() {
            return table + "=" + column + (granularity == null ? "" : ":" + granularityName());
        }
    }

    public JobConfig {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        cursors = cursors == null ? List.of() : List.copyOf(cursors);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }

    public JobConfig(String source, String dest, Format format, Compression compression, long maxFileSize,
            long splitSize, List<String> includes, List<String> excludes, Versioning layout, int tasks, int parallelism,
            int maxRetries, Duration taskTimeout, int keep, boolean snapshot, boolean consistent, boolean skipUnchanged,
            List<CursorRule> cursors, boolean fullRefresh) {
        this(source, dest, format, compression, maxFileSize, splitSize, includes, excludes, layout, tasks,
                parallelism, maxRetries, taskTimeout, keep, snapshot, consistent, skipUnchanged, cursors, fullRefresh,
                List.of());
    }

    /** A job that exports every table in full each time, each unit reading the source as of its own start. */
    public JobConfig(String source, String dest, Format format, Compression compression, long maxFileSize,
            long splitSize, List<String> includes, List<String> excludes, Versioning layout, int tasks, int parallelism,
            int maxRetries, Duration taskTimeout, int keep, boolean snapshot) {
        this(source, dest, format, compression, maxFileSize, splitSize, includes, excludes, layout, tasks,
                parallelism, maxRetries, taskTimeout, keep, snapshot, false, false, List.of(), false);
    }

    /** This job with {@code --skip-unchanged}, {@code --cursor} and {@code --full-refresh} as given. */
    public JobConfig withIncremental(boolean skipUnchanged, List<CursorRule> cursors, boolean fullRefresh) {
        return new JobConfig(source, dest, format, compression, maxFileSize, splitSize, includes, excludes, layout,
                tasks, parallelism, maxRetries, taskTimeout, keep, snapshot, consistent, skipUnchanged, cursors,
                fullRefresh, partitions);
    }

    /** This job with {@code --partition-by} as given. */
    public JobConfig withPartitions(List<PartitionRule> partitions) {
        return new JobConfig(source, dest, format, compression, maxFileSize, splitSize, includes, excludes, layout,
                tasks, parallelism, maxRetries, taskTimeout, keep, snapshot, consistent, skipUnchanged, cursors,
                fullRefresh, partitions);
    }

    /** A job that keeps {@link #DEFAULT_KEEP} older runs when its layout is versioned. */
    public JobConfig(String source, String dest, Format format, Compression compression, long maxFileSize,
            long splitSize, List<String> includes, List<String> excludes, Versioning layout, int tasks, int parallelism,
            int maxRetries, Duration taskTimeout) {
        this(source, dest, format, compression, maxFileSize, splitSize, includes, excludes, layout, tasks,
                parallelism, maxRetries, taskTimeout, DEFAULT_KEEP);
    }

    /** A job that reads tables as of the plan's time where the source can. */
    public JobConfig(String source, String dest, Format format, Compression compression, long maxFileSize,
            long splitSize, List<String> includes, List<String> excludes, Versioning layout, int tasks, int parallelism,
            int maxRetries, Duration taskTimeout, int keep) {
        this(source, dest, format, compression, maxFileSize, splitSize, includes, excludes, layout, tasks,
                parallelism, maxRetries, taskTimeout, keep, true);
    }

    /** This job, with or without {@code --consistent}. */
    public JobConfig withConsistent(boolean consistent) {
        return new JobConfig(source, dest, format, compression, maxFileSize, splitSize, includes, excludes, layout,
                tasks, parallelism, maxRetries, taskTimeout, keep, snapshot, consistent, skipUnchanged, cursors,
                fullRefresh, partitions);
    }

    /** {@code --split-size} as the user writes it: {@code auto}, {@code never} or a number of bytes. */
    public static String splitSizeText(long splitSize) {
        return splitSize == AUTO_SPLIT ? "auto" : splitSize == 0 ? "never" : Long.toString(splitSize);
    }

    /** Parses {@code --split-size}: {@code auto}, {@code never} (or 0) or a size. */
    public static long parseSplitSize(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        return t.equals("auto") ? AUTO_SPLIT : t.equals("never") ? 0 : Sizes.parse(text);
    }

    /** Reports every problem at once, as one message per line. */
    public JobConfig validate() {
        List<String> problems = new ArrayList<>();
        if (source == null || source.isBlank()) {
            problems.add("--source is missing (or SPILLWAY_SOURCE, or PROJECT_ID and SOURCE_DATASET): e.g."
                    + " duckdb:warehouse.duckdb or bigquery://PROJECT/DATASET");
        }
        if (dest == null || dest.isBlank()) {
            problems.add("--dest is missing (or SPILLWAY_DEST, or DESTINATION_BUCKET): a folder, gs://BUCKET/PREFIX or"
                    + " s3://BUCKET/PREFIX");
        }
        if (tasks < 1) {
            problems.add("--tasks must be at least 1, not " + tasks);
        } else if (tasks > MAX_TASKS) {
            problems.add("--tasks must be at most 10000, not " + tasks + ": Cloud Run Jobs run at most 10,000 tasks,"
                    + " AWS Batch array jobs 10,000 children and Kubernetes Indexed Jobs 100,000 completions; Spillway"
                    + " keeps to the smallest of these");
        }
        if (parallelism < 1) {
            problems.add("--parallelism must be at least 1, not " + parallelism);
        }
        if (maxRetries < 0 || maxRetries > 10) {
            problems.add("--max-retries must be between 0 and 10, not " + maxRetries);
        }
        if (taskTimeout == null || taskTimeout.isNegative() || taskTimeout.isZero()) {
            problems.add("--task-timeout must be positive, not " + taskTimeout);
        }
        if (maxFileSize < 1024) {
            problems.add("--max-file-size must be at least 1KiB, not " + maxFileSize + " bytes");
        }
        if (keep < 0) {
            problems.add("--keep must not be negative, not " + keep);
        }
        if (!cursors.isEmpty() && layout == Versioning.VERSIONED) {
            problems.add("--cursor does not work with --layout versioned yet: each run there is a folder of its own;"
                    + " use --layout replace, or drop --cursor");
        }
        for (CursorRule c : cursors) {
            if (c.table().isBlank() || c.column().isBlank()) {
                problems.add("--cursor '" + c + "' is not TABLE=COLUMN");
            }
        }
        for (PartitionRule p : partitions) {
            if (p.table().isBlank() || p.column().isBlank()) {
                problems.add("--partition-by '" + p + "' is not TABLE=COLUMN[:year|month|day]");
            }
        }
        if (splitSize < AUTO_SPLIT) {
            problems.add("--split-size must be auto, never or a size");
        }
        if (consistent && !snapshot) {
            problems.add("--consistent reads every table as of one moment and --no-snapshot reads each as it is when"
                    + " exported: drop one of them");
        }
        Objects.requireNonNull(format, "format is null");
        Objects.requireNonNull(compression, "compression is null");
        if (!compression.appliesTo(format)) {
            List<String> allowed = format.compressions().stream().map(Compression::toString).toList();
            problems.add("--compression " + compression + " does not apply to --format " + format + ": use "
                    + allowed.get(0) + " (the default), " + String.join(", ", allowed.subList(1, allowed.size() - 1))
                    + " or " + allowed.get(allowed.size() - 1));
        }
        if (!problems.isEmpty()) {
            throw new JobException(String.join("\n", problems));
        }
        return this;
    }

    /** Identifies the export, so tasks of one execution refuse a plan made for another job. */
    public String fingerprint() {
        String text = String.join("|", source, format.toString(), compression.toString(),
                Long.toString(maxFileSize), Long.toString(splitSize),
                String.join(",", includes), String.join(",", excludes), layout.toString())
                + (snapshot ? "" : "|no-snapshot") + (consistent ? "|consistent" : "")
                + (skipUnchanged ? "|skip-unchanged" : "")
                + (cursors.isEmpty() ? "" : "|cursors=" + cursors) + (fullRefresh ? "|full-refresh" : "")
                + (partitions.isEmpty() ? "" : "|partitions=" + partitions);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16); // hashed: the source URI may hold a password
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
