package io.spillway.format;

import io.spillway.job.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Compression of CSV and JSON lines shards; file names gain its suffix. */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    ZSTD(".zst");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> throw new JobException("--compression zstd is not available in this build: use gzip or none");
        };
    }

    public InputStream unwrap(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> throw new JobException("--compression zstd is not available in this build: use gzip or none");
        };
    }

    public static Compression parse(String text) {
        for (Compression c : values()) {
            if (c.name().equalsIgnoreCase(text.trim())) {
                return c;
            }
        }
        throw new JobException("unknown --compression '" + text + "': use none, gzip or zstd");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
