package io.spillway.format;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.spillway.job.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

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

    /** zstd's own default: about gzip's ratio at several times its speed. */
    static final int ZSTD_LEVEL = 3;

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

    /** Compresses a whole file; closing the returned stream writes the trailer and closes {@code out}. */
    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> new ZstdOutputStream(out, ZSTD_LEVEL);
            case SNAPPY, DEFLATE -> throw inside();
        };
    }

    public InputStream unwrap(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new ZstdInputStream(in);
            case SNAPPY, DEFLATE -> throw inside();
        };
    }

    private IllegalArgumentException inside() {
        return new IllegalArgumentException(this + " compresses inside Parquet and Avro files, not whole files");
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
