package io.spillway.format;

import com.github.luben.zstd.Zstd;
import io.spillway.spi.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Compresses Parquet pages without Hadoop's codec classes (which parquet-hadoop would otherwise
 * load by name, and which are not on the class path): snappy, zstd, gzip or none. Write only.
 */
final class ParquetCodecs implements CompressionCodecFactory {

    static CompressionCodecName codec(Compression compression) {
        return switch (compression) {
            case NONE -> CompressionCodecName.UNCOMPRESSED;
            case SNAPPY -> CompressionCodecName.SNAPPY;
            case ZSTD -> CompressionCodecName.ZSTD;
            case GZIP -> CompressionCodecName.GZIP;
            case DEFLATE -> throw new IllegalArgumentException("Parquet has no deflate codec: gzip is its equivalent");
        };
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, ZSTD, GZIP -> new Compressor(codec);
            default -> throw new IllegalArgumentException("Parquet codec " + codec + " is not supported");
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("Spillway writes Parquet; it does not read it");
    }

    @Override
    public void release() {}

    private record Compressor(CompressionCodecName codec) implements BytesInputCompressor {
        @Override
        public BytesInput compress(BytesInput page) throws IOException {
            return switch (codec) {
                case SNAPPY -> BytesInput.from(Snappy.compress(page.toByteArray()));
                case ZSTD -> BytesInput.from(Zstd.compress(page.toByteArray(), Codecs.ZSTD_LEVEL));
                case GZIP -> BytesInput.from(gzip(page.toByteArray()));
                default -> page;
            };
        }

        private static byte[] gzip(byte[] bytes) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(bytes);
            }
            return out.toByteArray();
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {}
    }
}
