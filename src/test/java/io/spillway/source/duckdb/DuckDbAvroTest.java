package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.format.AvroFiles;
import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.layout.Manifest;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB tables as Avro, through the row path: every value read back with Avro's own reader equals the source's. */
class DuckDbAvroTest {
    @TempDir
    Path dir;

    private Path database(String... statements) throws Exception {
        Path database = dir.resolve("avro.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return database;
    }

    private List<ShardFile> export(Path database, String table, Compression compression) throws Exception {
        try (DuckDbSource source = DuckDbSource.open("duckdb:" + database);
                ShardWriter out = new ShardWriter(new LocalStore(dir.resolve("out")), table + "/", Format.AVRO,
                        compression, 1 << 20)) {
            source.export(Unit.whole(table, 1), out);
            return out.finish();
        }
    }

    @Test
    void nullsDatesTimestampsDecimalsAndUnicodeReadBackAsTheSourceValues() throws Exception {
        Path database = database("CREATE TABLE t (id INTEGER, name VARCHAR, born DATE, seen TIMESTAMP, seen_ns TIMESTAMP_NS,"
                + " zoned TIMESTAMPTZ, price DECIMAL(12,2), exact DECIMAL(38,10), ratio DOUBLE, ok BOOLEAN, u UUID,"
                + " big HUGEINT, ubig UBIGINT, bin BLOB, tags VARCHAR[], times TIMESTAMP[], st STRUCT(a INTEGER, b VARCHAR),"
                + " t TIME)",
                "INSERT INTO t VALUES (1, 'h\u00e9llo \"q\", ' || chr(10) || '\u2211 \ud83d\ude00', '0001-01-01',"
                        + " '1969-12-31 23:59:59.123456', '2024-01-31 08:30:01.123456789', '2024-06-01 12:00:00+02',"
                        + " 1234567890.12, 1234567890123456789012345678.0123456789, 0.1, true,"
                        + " '123e4567-e89b-12d3-a456-426614174000', 170141183460469231731687303715884105727,"
                        + " 18446744073709551615, '\\xAA\\x00\\xFF', ['a', NULL, 'b,c'], ['2024-03-31 02:30:00.5'],"
                        + " {'a': 1, 'b': 'x'}, '23:59:59.999999')",
                "INSERT INTO t VALUES (2, '', '9999-12-31', '2024-03-31 02:30:00', '1970-01-01 00:00:00',"
                        + " '1970-01-01 00:00:00+00', -0.01, -1.5, 'nan', false, 'ffffffff-ffff-ffff-ffff-ffffffffffff', -1, 0,"
                        + " '', [], [], {'a': NULL, 'b': NULL}, '00:00:00')",
                "INSERT INTO t (id) VALUES (3)");
        TimeZone zone = TimeZone.getDefault();
        List<ShardFile> files;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Paris")); // where 2024-03-31 02:30 does not exist
            files = export(database, "t", Compression.SNAPPY);
        } finally {
            TimeZone.setDefault(zone);
        }

        assertThat(files).singleElement().satisfies(f -> assertThat(f.rows()).isEqualTo(3));
        AvroFiles.Read read = AvroFiles.read(dir.resolve("out").resolve(files.get(0).path()));
        assertThat(read.codec()).isEqualTo("snappy");
        assertThat(read.rows().get(0)).containsExactly(1, "h\u00e9llo \"q\", \n\u2211 \ud83d\ude00", LocalDate.of(1, 1, 1),
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 123_456_000), LocalDateTime.of(2024, 1, 31, 8, 30, 1, 123_456_000),
                Instant.parse("2024-06-01T10:00:00Z"), new BigDecimal("1234567890.12"),
                new BigDecimal("1234567890123456789012345678.0123456789"), 0.1, true,
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "170141183460469231731687303715884105727",
                new BigDecimal("18446744073709551615"), ByteBuffer.wrap(new byte[] {(byte) 0xaa, 0, (byte) 0xff}),
                Arrays.asList("a", null, "b,c"), List.of(LocalDateTime.of(2024, 3, 31, 2, 30, 0, 500_000_000)),
                "{\"a\":1,\"b\":\"x\"}", LocalTime.of(23, 59, 59, 999_999_000));
        assertThat(read.rows().get(1)).containsExactly(2, "", LocalDate.of(9999, 12, 31), LocalDateTime.of(2024, 3, 31, 2, 30),
                LocalDateTime.of(1970, 1, 1, 0, 0), Instant.EPOCH, new BigDecimal("-0.01"), new BigDecimal("-1.5000000000"),
                Double.NaN, false, UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"), "-1", new BigDecimal("0"),
                ByteBuffer.wrap(new byte[0]), List.of(), List.of(), "{\"a\":null,\"b\":null}", LocalTime.MIDNIGHT);
        List<Object> third = new ArrayList<>(read.rows().get(2));
        assertThat(third.remove(0)).isEqualTo(3);
        assertThat(third).hasSize(17).containsOnlyNulls();
    }

    @Test
    void everyDuckDbTypeExportsWithAllItsNulls() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int row = r;
            rows.add("SELECT " + DuckDbFormatsTest.TYPES.stream()
                    .map(c -> "CAST(" + (row < 2 ? c[2 + row] : "NULL") + " AS " + c[1] + ") AS " + c[0])
                    .collect(Collectors.joining(", ")));
        }
        Path database = database("CREATE TABLE types AS " + String.join(" UNION ALL ", rows));

        List<ShardFile> files = export(database, "types", Compression.ZSTD);

        AvroFiles.Read read = AvroFiles.read(dir.resolve("out").resolve(files.get(0).path()));
        assertThat(read.rows()).hasSize(3);
        assertThat(read.rows().get(2)).containsOnlyNulls();
        assertThat(read.schema().getFields()).hasSize(DuckDbFormatsTest.TYPES.size());
        assertThat(read.rows().get(0).get(index("i128"))).isEqualTo("-170141183460469231731687303715884105728");
        assertThat(read.rows().get(0).get(index("u32"))).isEqualTo(4294967295L);
        assertThat(read.rows().get(0).get(index("nested"))).isEqualTo(List.of(List.of(1L, 9007199254740993L), List.of()));
        assertThat(read.rows().get(0).get(index("fixed"))).isEqualTo(List.of(1, 2));
        assertThat(read.rows().get(1).get(index("fixed"))).isEqualTo(Arrays.asList(null, 4));
        assertThat(read.rows().get(0).get(index("iv"))).isEqualTo("1 day 02:00:00");
        assertThat(read.rows().get(0).get(index("js"))).isEqualTo("{\"a\": [1, 2]}");
        assertThat(read.rows().get(0).get(index("en"))).isEqualTo("x");
    }

    private static int index(String column) {
        return DuckDbFormatsTest.TYPES.stream().map(c -> c[0]).toList().indexOf(column);
    }

    @Test
    void aSplitTableRollsOverIntoSeveralContainersThatTheManifestCounts() throws Exception {
        Path database = database("CREATE TABLE orders AS SELECT i AS id, 'order ' || i || ' \u2211' AS name,"
                + " DATE '2000-01-01' + i::INTEGER AS placed, (i / 100)::DECIMAL(12,2) AS amount FROM range(30000) t(i)");
        Path dest = dir.resolve("export");
        JobConfig config = new JobConfig("duckdb:" + database, dest.toString(), Format.AVRO, Compression.DEFLATE,
                32 << 10, 1 << 20, List.of(), List.of(), JobConfig.Versioning.REPLACE, 2, 1, 0, Duration.ofHours(1))
                .validate();

        Exports.run(config);

        Manifest manifest = Exports.manifest(dest, "orders");
        assertThat(manifest.format()).isEqualTo("avro");
        assertThat(manifest.compression()).isEqualTo("deflate");
        assertThat(manifest.rows()).isEqualTo(30_000);
        assertThat(manifest.files()).hasSizeGreaterThan(4);
        List<List<Object>> all = AvroFiles.published(dest, "orders", "deflate", 32 << 10);
        for (int i = 0; i < 30_000; i++) {
            assertThat(all.get(i)).containsExactly((long) i, "order " + i + " \u2211", LocalDate.of(2000, 1, 1).plusDays(i),
                    BigDecimal.valueOf(i, 2));
        }
    }
}
