package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.RowSink;
import io.spillway.store.local.LocalStore;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JsonlRowsTest {
    @TempDir
    Path dir;

    private List<ShardFile> write(List<Column> columns, List<Object[]> rows, Compression compression, long limit)
            throws Exception {
        try (ShardWriter out = new ShardWriter(new LocalStore(dir), "t/", Format.JSONL, compression, limit)) {
            RowSink writer = out.rows(columns);
            for (Object[] row : rows) {
                writer.write(row);
            }
            return out.finish();
        }
    }

    private String text(ShardFile file, Compression compression) throws Exception {
        try (InputStream in = Codecs.unwrap(compression, Files.newInputStream(dir.resolve(file.path())))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void rendersNumbersJsonCannotHoldAsStringsAndEverythingElseInItsTextForm() throws Exception {
        List<Column> columns = Arrays.asList("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o")
                .stream().map(n -> new Column(n, "any")).toList();
        Object[] row = {9007199254740991L, -9007199254740992L, new BigInteger("18446744073709551615"),
                new BigDecimal("1234567890.12345"), new BigDecimal("1234567890.123456"), Double.NaN,
                Float.NEGATIVE_INFINITY, 0.5f, new byte[] {(byte) 0xaa, 0}, LocalDate.of(2024, 1, 31),
                LocalTime.of(8, 30), LocalDateTime.of(2024, 1, 31, 8, 30, 0, 5000),
                Instant.parse("2024-01-31T08:30:00Z"), Arrays.asList(1L, null, Long.MAX_VALUE, "x\"y"),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000")};

        ShardFile file = write(columns, List.<Object[]>of(row, new Object[15]), Compression.NONE, 1 << 20).get(0);

        assertThat(text(file, Compression.NONE)).isEqualTo("""
                {"a":9007199254740991,"b":"-9007199254740992","c":"18446744073709551615","d":1234567890.12345,\
                "e":"1234567890.123456","f":"NaN","g":"-Infinity","h":0.5,"i":"qgA=","j":"2024-01-31",\
                "k":"08:30:00.000000","l":"2024-01-31T08:30:00.000005","m":"2024-01-31T08:30:00.000000Z",\
                "n":[1,null,"9223372036854775807","x\\"y"],"o":"123e4567-e89b-12d3-a456-426614174000"}
                {"a":null,"b":null,"c":null,"d":null,"e":null,"f":null,"g":null,"h":null,"i":null,"j":null,\
                "k":null,"l":null,"m":null,"n":null,"o":null}
                """);
        assertThat(file.rows()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"NONE", "GZIP", "ZSTD"})
    void readsBackInDuckDbAsTheSourceValuesOfEveryCanonicalType(Compression compression) throws Exception {
        List<ShardFile> files = write(TypedRows.columns(), TypedRows.rows(), compression, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> assertThat(f.path()).endsWith(".jsonl" + compression.suffix()));
        try (TestDuckDb db = new TestDuckDb()) {
            String read = "SELECT " + TypedRows.readBack(true) + " FROM read_json("
                    + TestDuckDb.literal(dir.resolve(files.get(0).path())) + ", format = 'newline_delimited', columns = "
                    + TypedRows.jsonColumns() + ")";
            assertThat(TypedRows.difference(db, read)).isEmpty();
        }
    }

    @Test
    void startsANewFileOnALineBoundaryBeforeTheLimit() throws Exception {
        List<Column> columns = List.of(new Column("id", "bigint"), new Column("name", "text"));
        List<Object[]> rows = java.util.stream.LongStream.range(0, 5000)
                .mapToObj(i -> new Object[] {i, "name " + i}).toList();

        List<ShardFile> files = write(columns, rows, Compression.NONE, 4096);

        assertThat(files).hasSizeGreaterThan(20);
        assertThat(files).allSatisfy(f -> {
            assertThat(f.bytes()).isLessThanOrEqualTo(4096);
            assertThat(text(f, Compression.NONE)).startsWith("{\"id\":").endsWith("}\n");
        });
        assertThat(files.stream().mapToLong(ShardFile::rows).sum()).isEqualTo(5000);
    }
}
