package io.spillway.format;

import java.util.Objects;

/**
 * One finished file of a unit: where it is staged, how many rows and bytes it holds, its CRC32C
 * (8 hex digits). {@code rows} is -1 when the exporter does not say (BigQuery's extract jobs).
 */
public record ShardFile(String path, long rows, long bytes, String crc32c) {
    public ShardFile {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(crc32c, "crc32c is null");
    }
}
