package io.spillway.publish;

import io.spillway.format.ShardFile;
import io.spillway.spi.Column;
import java.time.Instant;
import java.util.List;

/**
 * Proof that a unit is done: written once, by create-if-absent, by the attempt that exported it.
 * A retried attempt finds it and skips the unit; a duplicate copy of the task loses the race and
 * drops its own staged files.
 *
 * <p>{@code rowCount} is the unit's rows, -1 when the source did not say; null in records written
 * before it existed, where the files' rows add up to it. It differs from that sum only when a
 * server-side exporter wrote several files and said how many rows in all but not in each.
 *
 * <p>{@code startedAt} is when the attempt began the unit's export; null in records written before
 * it existed (the HTML report then takes the end of the task's previous unit).
 */
public record UnitRecord(String execution, String table, int part, int parts, int task, int attempt, String token,
        List<ShardFile> files, List<Column> columns, Instant committedAt, Long rowCount, Instant startedAt) {
    public UnitRecord {
        files = List.copyOf(files);
        columns = List.copyOf(columns);
    }

    public UnitRecord(String execution, String table, int part, int parts, int task, int attempt, String token,
            List<ShardFile> files, List<Column> columns, Instant committedAt, Long rowCount) {
        this(execution, table, part, parts, task, attempt, token, files, columns, committedAt, rowCount, null);
    }

    public UnitRecord(String execution, String table, int part, int parts, int task, int attempt, String token,
            List<ShardFile> files, List<Column> columns, Instant committedAt) {
        this(execution, table, part, parts, task, attempt, token, files, columns, committedAt, null, null);
    }

    /** The unit's rows, or -1 if unknown. */
    public long rows() {
        if (rowCount != null) {
            return rowCount;
        }
        return files.stream().anyMatch(f -> f.rows() < 0) ? -1 : files.stream().mapToLong(ShardFile::rows).sum();
    }

    public long bytes() {
        return files.stream().mapToLong(ShardFile::bytes).sum();
    }
}
