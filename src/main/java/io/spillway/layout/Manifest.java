package io.spillway.layout;

import io.spillway.spi.Column;
import java.time.Instant;
import java.util.List;

/**
 * {@code <table>/_MANIFEST.json}: the truth about a table's current export, written after its
 * files are in place. {@code table} is the source's own name, not the encoded folder name.
 * {@code rows} is -1 where the source did not say (see {@link UnitRecord}), as a file's may be.
 *
 * <p>{@code changeMarker} is the table's change marker as read when the export was planned (null where the
 * source cannot tell, or the job did not ask); {@code cursor} and {@code mark} the cursor column of an
 * incremental export and the largest value its files hold (null for a table exported without one). All
 * three are absent from manifests written before they existed.
 *
 * <p>{@code partitionBy} is the {@code --partition-by} rule's {@code COLUMN[:year|month|day]} (null for a
 * table written without one), and {@code partitions} its Hive-style folders, each with its value (null
 * for NULL) and what it holds, in name order; the files then sit in those folders.
 */
public record Manifest(String table, String execution, Instant plannedAt, Instant publishedAt, String format,
        String compression, long rows, long bytes, List<Column> columns, List<File> files, String changeMarker,
        String cursor, String mark, String partitionBy, List<Partition> partitions) {

    public Manifest(String table, String execution, Instant plannedAt, Instant publishedAt, String format,
            String compression, long rows, long bytes, List<Column> columns, List<File> files, String changeMarker,
            String cursor, String mark) {
        this(table, execution, plannedAt, publishedAt, format, compression, rows, bytes, columns, files, changeMarker,
                cursor, mark, null, List.of());
    }

    public Manifest(String table, String execution, Instant plannedAt, Instant publishedAt, String format,
            String compression, long rows, long bytes, List<Column> columns, List<File> files) {
        this(table, execution, plannedAt, publishedAt, format, compression, rows, bytes, columns, files, null, null,
                null);
    }

    /** A data file, named relative to the table's folder. */
    public record File(String name, long rows, long bytes, String crc32c) {}

    /**
     * A partition folder, {@code <column>=<value>} (escaped), named relative to the table's folder;
     * {@code value} as the source gave it, null for NULL; rows -1 where a file's are unknown.
     */
    public record Partition(String path, String value, long rows, long bytes, int files) {}

    public Manifest {
        columns = List.copyOf(columns);
        files = List.copyOf(files);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }
}
