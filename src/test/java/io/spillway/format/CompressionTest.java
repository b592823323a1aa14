package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.store.local.LocalStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {
    @TempDir
    Path dir;

    private static String lines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"id\":").append(i).append(",\"name\":\"row ").append(i * 7919 % 10007).append("\"}\n");
        }
        return sb.toString();
    }

    private String read(ShardFile f, Compression c) throws Exception {
        try (InputStream in = Codecs.unwrap(c, Files.newInputStream(dir.resolve(f.path())))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"NONE", "GZIP", "ZSTD"})
    void compressesWholeFilesThatEndInTheSuffixAndStayNearTheLimit(Compression c) throws Exception {
        String text = lines(200_000);
        List<ShardFile> files;
        try (ShardWriter out = new ShardWriter(new LocalStore(dir), "t/", Format.JSONL, c, 256 << 10)) {
            Feed.text(out, text);
            files = out.finish();
        }

        assertThat(files).hasSizeGreaterThan(1).allSatisfy(f -> {
            assertThat(f.path()).endsWith(".jsonl" + c.suffix());
            assertThat(f.bytes()).isLessThanOrEqualTo((256 << 10) + (c == Compression.NONE ? 0 : 128 << 10));
            assertThat(Files.size(dir.resolve(f.path()))).isEqualTo(f.bytes());
        });
        StringBuilder back = new StringBuilder();
        for (ShardFile f : files) {
            back.append(read(f, c));
        }
        assertThat(back.toString()).isEqualTo(text);
        assertThat(files.stream().mapToLong(ShardFile::rows).sum()).isEqualTo(200_000);
    }

    @Test
    void splitsAnAdoptedZstdFileThatIsLargerThanTheLimit() throws Exception {
        String text = "id,name\n" + lines(100_000).replace("{\"id\":", "").replace(",\"name\":", ",").replace("}", "");
        Path scratch = dir.resolve("native.csv.zst");
        try (OutputStream out = Codecs.wrap(Compression.ZSTD, Files.newOutputStream(scratch))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        List<ShardFile> files;
        try (ShardWriter out = new ShardWriter(new LocalStore(dir), "t/", Format.CSV, Compression.ZSTD, 64 << 10)) {
            out.localFiles().orElseThrow().adopt(scratch, 100_000);
            files = out.finish();
        }

        assertThat(files).hasSizeGreaterThan(1);
        assertThat(files.stream().mapToLong(ShardFile::rows).sum()).isEqualTo(100_000);
        for (ShardFile f : files) {
            assertThat(read(f, Compression.ZSTD)).startsWith("id,name\n");
        }
        assertThat(scratch).doesNotExist();
    }

    @Test
    void snappyAndDeflateAreForFilesThatCompressInsideAndEachFormatHasItsDefault() {
        assertThat(Compression.defaultFor(Format.PARQUET)).isEqualTo(Compression.SNAPPY);
        assertThat(Compression.defaultFor(Format.AVRO)).isEqualTo(Compression.SNAPPY);
        assertThat(Compression.defaultFor(Format.CSV)).isEqualTo(Compression.NONE);
        assertThat(Compression.SNAPPY.appliesTo(Format.JSONL)).isFalse();
        assertThat(Compression.DEFLATE.appliesTo(Format.CSV)).isFalse();
        assertThat(Compression.DEFLATE.appliesTo(Format.PARQUET)).isFalse();
        assertThat(Compression.DEFLATE.appliesTo(Format.AVRO)).isTrue();
        assertThat(Compression.GZIP.appliesTo(Format.AVRO)).isFalse();
        assertThat(Compression.ZSTD.appliesTo(Format.PARQUET)).isTrue();
        assertThat(Format.PARQUET.suffix(Compression.ZSTD)).isEqualTo(".parquet");
        assertThat(Format.AVRO.suffix(Compression.DEFLATE)).isEqualTo(".avro");
        assertThat(Format.CSV.suffix(Compression.ZSTD)).isEqualTo(".csv.zst");
        assertThatThrownBy(() -> Compression.parse("lz4")).isInstanceOf(JobException.class)
                .hasMessage("unknown --compression 'lz4': use one of none, gzip, zstd, snappy, deflate");
    }
}
