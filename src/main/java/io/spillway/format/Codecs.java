package io.spillway.format;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.spillway.spi.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The codecs behind {@link Compression}: whole-file compression of CSV and JSON lines files. */
public final class Codecs {
    /** zstd's own default: about gzip's ratio at several times its speed. */
    static final int ZSTD_LEVEL = 3;

    private Codecs() {}

    /** Compresses a whole file; closing the returned stream writes the trailer and closes {@code out}. */
    public static OutputStream wrap(Compression compression, OutputStream out) throws IOException {
        return switch (compression) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> new ZstdOutputStream(out, ZSTD_LEVEL);
            case SNAPPY, DEFLATE -> throw inside(compression);
        };
    }

    public static InputStream unwrap(Compression compression, InputStream in) throws IOException {
        return switch (compression) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new ZstdInputStream(in);
            case SNAPPY, DEFLATE -> throw inside(compression);
        };
    }

    private static IllegalArgumentException inside(Compression compression) {
        return new IllegalArgumentException(compression + " compresses inside Parquet and Avro files, not whole files");
    }
}
