package io.spillway.publish;

import io.spillway.format.ShardFile;
import io.spillway.source.Column;
import java.time.Instant;
import java.util.List;

/**
 * Proof that a unit is done: written once, by create-if-absent, by the attempt that exported it.
 * A retried attempt finds it and skips the unit; a duplicate copy of the task loses the race and
 * drops its own staged files.
 */
public record UnitRecord(String execution, String table, int part, int parts, int task, int attempt, String token,
        List<ShardFile> files, List<Column> columns, Instant committedAt) {
    public UnitRecord {
        files = List.copyOf(files);
        columns = List.copyOf(columns);
    }

    public long rows() {
        return files.stream().mapToLong(ShardFile::rows).sum();
    }

    public long bytes() {
        return files.stream().mapToLong(ShardFile::bytes).sum();
    }
}
