package io.spillway.format;

import java.util.Objects;

/**
 * One finished file of a unit: where it is staged, how many rows and bytes it holds, its CRC32C
 * (8 hex digits). {@code rows} is -1 when the exporter does not say (BigQuery's extract jobs).
 * {@code partition} is the Hive-style folder the file belongs in ({@code region=EU}, see
 * {@link HivePath}), null for a table written without {@code --partition-by} (and in unit records
 * written before it existed).
 */
public record ShardFile(String path, long rows, long bytes, String crc32c, String partition) {
    public ShardFile {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(crc32c, "crc32c is null");
    }

    public ShardFile(String path, long rows, long bytes, String crc32c) {
        this(path, rows, bytes, crc32c, null);
    }

    public ShardFile inPartition(String folder) {
        return new ShardFile(path, rows, bytes, crc32c, folder);
    }
}
