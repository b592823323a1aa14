package io.spillway.spi;

import static io.spillway.spi.Compression.DEFLATE;
import static io.spillway.spi.Compression.GZIP;
import static io.spillway.spi.Compression.NONE;
import static io.spillway.spi.Compression.SNAPPY;
import static io.spillway.spi.Compression.ZSTD;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The file format of the exported shards, with the compressions it allows (its default first). CSV
 * and JSON lines are lines of text, compressed whole; Parquet and Avro are binary files that
 * compress inside, whose names never change with the compression.
 */
public enum Format {
    CSV("csv", true, NONE, GZIP, ZSTD),
    JSONL("jsonl", true, NONE, GZIP, ZSTD),
    PARQUET("parquet", false, SNAPPY, ZSTD, GZIP, NONE),
    AVRO("avro", false, SNAPPY, DEFLATE, ZSTD, NONE);

    private final String extension;
    private final boolean lines;
    private final List<Compression> compressions;

    Format(String extension, boolean lines, Compression... compressions) {
        this.extension = extension;
        this.lines = lines;
        this.compressions = List.of(compressions);
    }

    public String extension() {
        return extension;
    }

    /** Whether files are lines of text (one record each, compressed whole), which may be split at any line end. */
    public boolean lines() {
        return lines;
    }

    /** The compressions this format allows, its default first. */
    public List<Compression> compressions() {
        return compressions;
    }

    /** The end of a shard's name: {@code .csv.gz}, {@code .jsonl.zst}, {@code .parquet}, {@code .avro}. */
    public String suffix(Compression compression) {
        return "." + extension + (lines ? compression.suffix() : "");
    }

    public static Format parse(String text) {
        return Arrays.stream(values())
                .filter(f -> f.name().equalsIgnoreCase(text.trim()) || f.extension.equalsIgnoreCase(text.trim()))
                .findFirst()
                .orElseThrow(() -> new JobException("unknown --format '" + text + "': use one of "
                        + Arrays.stream(values()).map(f -> f.extension).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
