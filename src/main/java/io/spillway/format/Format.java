package io.spillway.format;

import io.spillway.job.JobException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The file format of the exported shards. */
public enum Format {
    CSV("csv"),
    JSONL("jsonl"),
    PARQUET("parquet");

    private final String extension;

    Format(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** The end of a shard's name: {@code .csv.gz}, {@code .jsonl.zst}, {@code .parquet} (it compresses inside). */
    public String suffix(Compression compression) {
        return "." + extension + (this == PARQUET ? "" : compression.suffix());
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
