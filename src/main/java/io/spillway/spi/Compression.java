package io.spillway.spi;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How shards are compressed. CSV and JSON lines files are compressed whole (none, gzip, zstd) and
 * their names gain the suffix; Parquet compresses each page inside the file (snappy, zstd, gzip or
 * none), Avro each block (snappy, deflate, zstd or none), and their names stay as they are.
 * {@link Format#compressions()} says which format allows which.
 */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    ZSTD(".zst"),
    SNAPPY(""),
    DEFLATE("");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** The suffix a whole-file compressed name ends in, such as {@code .gz}. */
    public String suffix() {
        return suffix;
    }

    /** What {@code --compression} means when it is not given: snappy for Parquet and Avro, none for the others. */
    public static Compression defaultFor(Format format) {
        return format.compressions().get(0);
    }

    /** Whether a file of {@code format} can be compressed this way. */
    public boolean appliesTo(Format format) {
        return format.compressions().contains(this);
    }

    public static Compression parse(String text) {
        for (Compression c : values()) {
            if (c.name().equalsIgnoreCase(text.trim())) {
                return c;
            }
        }
        throw new JobException("unknown --compression '" + text + "': use one of "
                + Arrays.stream(values()).map(Compression::toString).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
