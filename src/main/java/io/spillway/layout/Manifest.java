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
 */
public record Manifest(String table, String execution, Instant plannedAt, Instant publishedAt, String format,
        String compression, long rows, long bytes, List<Column> columns, List<File> files, String changeMarker,
        String cursor, String mark) {

    public Manifest(String table, String execution, Instant plannedAt, Instant publishedAt, String format,
            String compression, long rows, long bytes, List<Column> columns, List<File> files) {
        this(table, execution, plannedAt, publishedAt, format, compression, rows, bytes, columns, files, null, null,
                null);
    }

    /** A data file, named relative to the table's folder. */
    public record File(String name, long rows, long bytes, String crc32c) {}

    public Manifest {
        columns = List.copyOf(columns);
        files = List.copyOf(files);
    }
}
