package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.siegmar.fastcsv.reader.CsvReader;
import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.RowSink;
import io.spillway.store.local.LocalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardWriterTest {
    @TempDir
    Path dir;

    static String csv(int rows) {
        StringBuilder sb = new StringBuilder("id,text\n");
        for (int i = 0; i < rows; i++) {
            String text = switch (i % 4) {
                case 0 -> "\"multi\nline, \"\"quoted\"\"\"";
                case 1 -> "plain" + "x".repeat(i % 37);
                case 2 -> "";
                default -> "\"\"";
            };
            sb.append(i).append(',').append(text).append('\n');
        }
        return sb.toString();
    }

    List<List<String>> read(Path file, boolean gzip) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (InputStream in = gzip ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file);
                var reader = CsvReader.builder().ofCsvRecord(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
            reader.forEach(r -> rows.add(r.getFields()));
        }
        return rows;
    }

    /**
     * An uncompressed file over the limit is cut where it stands (its head kept in place, only the rest written
     * again): the files are those the same records make when written one by one, byte for byte, in CSV with
     * quoted line ends and in JSON lines, with records larger than the limit at the start and further on.
     */
    @Test
    void aLargeAdoptedFileIsCutIntoTheFilesItsRecordsMakeOneByOne() throws Exception {
        String big = "x".repeat(9000);
        for (Format format : List.of(Format.CSV, Format.JSONL)) {
            for (long limit : List.of(4096L, 100_000L)) {
                for (String first : List.of("", "-1,\"" + big + "\"\n")) {
                    String body = csv(20_000).substring("id,text\n".length());
                    String records = first + body.substring(0, body.length() / 2) + "7,\"" + big + "\n\"\n"
                            + body.substring(body.length() / 2);
                    String text = (format == Format.CSV ? "id,text\n" : "") + records;
                    Path cutDir = Files.createDirectories(dir.resolve("cut-" + format + limit + first.length()));
                    Path oneDir = Files.createDirectories(dir.resolve("one-" + format + limit + first.length()));
                    List<ShardFile> cut;
                    try (var w = new ShardWriter(new LocalStore(cutDir), "u/", format, Compression.NONE, limit)) {
                        Feed.text(w, text);
                        cut = w.finish();
                    }
                    List<ShardFile> one;
                    try (var w = new ShardWriter(new LocalStore(oneDir), "u/", format, Compression.NONE, limit)) {
                        if (format == Format.CSV) {
                            w.header("id,text\n".getBytes(StandardCharsets.UTF_8));
                        }
                        for (String r : records(records, format == Format.CSV)) {
                            byte[] b = r.getBytes(StandardCharsets.UTF_8);
                            w.record(b, 0, b.length);
                        }
                        one = w.finish();
                    }
                    assertThat(cut).as(format + " " + limit).hasSizeGreaterThan(2).isEqualTo(one);
                    for (ShardFile f : cut) {
                        assertThat(Files.readAllBytes(cutDir.resolve(f.path()))).isEqualTo(Files.readAllBytes(oneDir.resolve(f.path())));
                    }
                    assertThat(cut.stream().mapToLong(ShardFile::rows).sum()).isEqualTo(records(records, format == Format.CSV).size());
                }
            }
        }
    }

    /** The records of the text, each with its line end; in CSV, line ends inside quotes belong to their field. */
    private static List<String> records(String text, boolean csv) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && csv) {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        return out;
    }

    /** A file a native exporter wrote (here over 3 MiB, several of the checksum's reads) is taken whole, with its CRC32C. */
    @Test
    void anAdoptedFileKeepsItsBytesAndGetsTheirChecksum() throws Exception {
        String input = csv(200_000);
        var store = new LocalStore(dir);
        List<ShardFile> files;
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        try (var w = new ShardWriter(store, "unit/", Format.CSV, Compression.NONE, 64L << 20)) {
            var local = w.localFiles().orElseThrow();
            Path scratch = local.scratchFile();
            Files.write(scratch, bytes);
            local.adopt(scratch, 200_000);
            files = w.finish();
        }
        assertThat(bytes.length).isGreaterThan(3 << 20);
        assertThat(files).hasSize(1);
        Path p = dir.resolve(files.get(0).path());
        assertThat(Files.readAllBytes(p)).isEqualTo(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        assertThat(files.get(0).crc32c()).isEqualTo(String.format("%08x", crc.getValue()));
        assertThat(files.get(0).bytes()).isEqualTo(bytes.length);
        assertThat(files.get(0).rows()).isEqualTo(200_000);
    }

    @Test
    void rollsOverOnRowBoundariesBeforeTheLimitWithTheHeaderInEveryFile() throws Exception {
        String input = csv(5000);
        var store = new LocalStore(dir);
        List<ShardFile> files;
        try (var w = new ShardWriter(store, "unit/", Format.CSV, Compression.NONE, 4096)) {
            Feed.text(w, input);
            files = w.finish();
        }
        assertThat(files.size()).isGreaterThan(10);
        List<List<String>> all = new ArrayList<>();
        long rows = 0;
        for (ShardFile f : files) {
            Path p = dir.resolve(f.path());
            assertThat(Files.size(p)).isEqualTo(f.bytes()).isLessThanOrEqualTo(4096);
            CRC32C crc = new CRC32C();
            crc.update(Files.readAllBytes(p));
            assertThat(f.crc32c()).isEqualTo(String.format("%08x", crc.getValue()));
            List<List<String>> content = read(p, false);
            assertThat(content.get(0)).containsExactly("id", "text");
            assertThat(content.size() - 1).isEqualTo(f.rows());
            all.addAll(content.subList(1, content.size()));
            rows += f.rows();
        }
        assertThat(rows).isEqualTo(5000);
        List<List<String>> expected = read(writeTemp(input), false);
        assertThat(all).isEqualTo(expected.subList(1, expected.size()));
    }

    private Path writeTemp(String content) throws IOException {
        Path p = Files.createTempFile(dir, "in", ".csv");
        Files.writeString(p, content);
        return p;
    }

    @Test
    void aRowLargerThanTheLimitGetsAFileOfItsOwn() throws Exception {
        String big = "x".repeat(5000);
        String input = "id,text\n1,a\n2," + big + "\n3,b\n";
        try (var w = new ShardWriter(new LocalStore(dir), "u/", Format.CSV, Compression.NONE, 1024)) {
            Feed.text(w, input);
            var files = w.finish();
            assertThat(files).extracting(ShardFile::rows).containsExactly(1L, 1L, 1L);
            assertThat(Files.readString(dir.resolve(files.get(1).path()))).isEqualTo("id,text\n2," + big + "\n");
        }
    }

    @Test
    void batchesOfRecordsFillTheRoomTheWriterGives() throws Exception {
        byte[] rows = "1,a\n2,b\n3,c\n".getBytes(StandardCharsets.UTF_8); // three records of 4 bytes
        try (var w = new ShardWriter(new LocalStore(dir), "b/", Format.CSV, Compression.NONE, 20)) {
            w.header("id,t\n".getBytes(StandardCharsets.UTF_8));
            assertThat(w.room()).as("the next file, after its header").isEqualTo(15);
            w.records(rows, 0, 12, 3);
            assertThat(w.room()).isEqualTo(3);
            assertThatThrownBy(() -> w.records(rows, 0, 4, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4 bytes of records do not fit in the 3 bytes left");
            w.record(rows, 4, 4); // what does not fit starts the next file
            assertThat(w.room()).isEqualTo(11);
            w.records(rows, 0, 8, 2);
            var files = w.finish();
            assertThat(files).extracting(ShardFile::rows).containsExactly(3L, 3L);
            assertThat(w.rowCount()).isEqualTo(6);
            assertThat(Files.readString(dir.resolve(files.get(0).path()))).isEqualTo("id,t\n1,a\n2,b\n3,c\n");
            assertThat(Files.readString(dir.resolve(files.get(1).path()))).isEqualTo("id,t\n2,b\n1,a\n2,b\n");
        }
    }

    @Test
    void gzipFilesHoldTheSameRows() throws Exception {
        String input = csv(20000);
        try (var w = new ShardWriter(new LocalStore(dir), "g/", Format.CSV, Compression.GZIP, 16 * 1024)) {
            Feed.text(w, input);
            var files = w.finish();
            assertThat(files.size()).isGreaterThan(1);
            long total = 0;
            for (ShardFile f : files) {
                assertThat(f.path()).endsWith(".csv.gz");
                var rows = read(dir.resolve(f.path()), true);
                assertThat(rows.get(0)).containsExactly("id", "text");
                total += rows.size() - 1;
            }
            assertThat(total).isEqualTo(20000);
        }
    }

    @Test
    void anEmptyUnitStillHasOneFileWithTheHeader() throws Exception {
        try (var w = new ShardWriter(new LocalStore(dir), "e/", Format.CSV, Compression.NONE, 1024)) {
            Feed.text(w, "a,b\n");
            var files = w.finish();
            assertThat(files).hasSize(1);
            assertThat(Files.readString(dir.resolve(files.get(0).path()))).isEqualTo("a,b\n");
        }
    }

    @Test
    void rowsAreWrittenInTheOneCsvDialect() throws Exception {
        try (var w = new ShardWriter(new LocalStore(dir), "r/", Format.CSV, Compression.NONE, 1 << 20)) {
            RowSink rows = w.rows(List.of(new Column("id", "int8"), new Column("text", "text"), new Column("v", "x"),
                    new Column("d", "date"), new Column("ts", "timestamp"), new Column("tz", "timestamptz"),
                    new Column("b", "bytea"), new Column("f", "float8"), new Column("n", "numeric"), new Column("l", "_int4")));
            rows.write(new Object[] {1L, null, "", LocalDate.of(2024, 1, 31), LocalDateTime.of(2024, 1, 31, 8, 30, 0, 5000),
                Instant.parse("2024-01-31T08:30:00Z"), new byte[] {1, 2, (byte) 255}, Double.NaN,
                new java.math.BigDecimal("1E+3"), List.of(1, 2)});
            rows.write(new Object[] {2L, "a,\"b\"\nc", "x", null, null, null, null, Double.NEGATIVE_INFINITY, null, null});
            var files = w.finish();
            assertThat(Files.readString(dir.resolve(files.get(0).path()))).isEqualTo("""
                    id,text,v,d,ts,tz,b,f,n,l
                    1,,"",2024-01-31,2024-01-31T08:30:00.000005,2024-01-31T08:30:00.000000Z,AQL/,NaN,1000,"[1,2]"
                    2,"a,""b""
                    c",x,,,,,-Infinity,,
                    """);
        }
    }
}
