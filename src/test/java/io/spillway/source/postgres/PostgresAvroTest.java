package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.format.AvroFiles;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PostgreSQL tables as Avro: every value read back with Avro's own reader equals the source's; files roll over. */
class PostgresAvroTest {
    static PgTestDb db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() throws Exception {
        db = new PgTestDb("sw_avro");
        db.sql("CREATE TABLE " + db.q("types") + " (id int PRIMARY KEY, name text, born date, seen timestamp,"
                        + " zoned timestamptz, price numeric(12,2), exact numeric(38,10), free numeric, ratio double precision,"
                        + " small real, ok boolean, big bigint, u uuid, bin bytea, tags text[], nums int[], doc jsonb, t time,"
                        + " span interval, \"order date\" date)",
                "INSERT INTO " + db.q("types") + " VALUES (1, E'h\u00e9llo \"q\", \\n\u2211 \\U0001F600', '0001-01-01',"
                        + " '1969-12-31 23:59:59.123456', '2024-03-31 01:30:00+02', 1234567890.12,"
                        + " 1234567890123456789012345678.0123456789, 123456789012345678901234567890.123456789, 0.1, 1.5,"
                        + " true, -9223372036854775808, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff10',"
                        + " '{\"a,b\",NULL}', '{1,NULL,3}', '{\"b\": [1, 2]}', '23:59:59.999999', '1 day 02:00:00',"
                        + " '2024-02-29')",
                "INSERT INTO " + db.q("types") + " VALUES (2, '', '9999-12-31', '2024-01-31 08:30:00', '1970-01-01 00:00:00+00',"
                        + " -0.01, -1.5, 'NaN', 'Infinity', 'NaN', false, 9223372036854775807,"
                        + " '00000000-0000-0000-0000-000000000000', '', '{}', '{}', '[]', '00:00:00', '0 seconds', NULL)",
                "INSERT INTO " + db.q("types") + " (id) VALUES (3)",
                "CREATE TABLE " + db.q("orders") + " (id bigint PRIMARY KEY, name text, placed date, amount numeric(12,2))",
                "INSERT INTO " + db.q("orders") + " SELECT g, 'order ' || g || ' \u2211', DATE '2000-01-01' + g::int,"
                        + " g / 100.0 FROM generate_series(0, 29999) g",
                "ANALYZE " + db.q("orders"));
    }

    @AfterAll
    static void drop() throws Exception {
        db.close();
    }

    private Manifest export(String table, Compression compression, long maxFileSize, long splitSize) throws Exception {
        Exports.run(new JobConfig(db.uri(), dir.toString(), Format.AVRO, compression, maxFileSize, splitSize,
                List.of(table), List.of(), JobConfig.Versioning.REPLACE, 2, 1, 0, Duration.ofHours(1)).validate());
        return Exports.manifest(dir, table);
    }

    private AvroFiles.Read read(String table, Manifest.File file) throws Exception {
        return AvroFiles.read(dir.resolve(Layout.tableDir(table) + file.name()));
    }

    @ParameterizedTest
    @CsvSource({"SNAPPY, snappy", "DEFLATE, deflate", "ZSTD, zstandard", "NONE, null"})
    void everyValueReadsBackAsTheSourceValueInAFileOfTheCodecAsked(Compression compression, String codec)
            throws Exception {
        Manifest manifest = export("types", compression, 1 << 30, 0);

        assertThat(manifest.format()).isEqualTo("avro");
        assertThat(manifest.compression()).isEqualTo(compression.toString());
        assertThat(manifest.rows()).isEqualTo(3);
        assertThat(manifest.files()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("types_000000000000.avro"));
        AvroFiles.Read read = read("types", manifest.files().get(0));
        assertThat(read.codec()).isEqualTo(codec);
        assertThat(read.schema().getFields().get(19).name()).isEqualTo("order_date");
        assertThat(read.schema().getFields().get(19).getProp("sourceName")).isEqualTo("order date");
        List<List<Object>> rows = new ArrayList<>(read.rows());
        rows.sort((a, b) -> Integer.compare((Integer) a.get(0), (Integer) b.get(0)));
        assertThat(rows.get(0)).containsExactly(1, "h\u00e9llo \"q\", \n\u2211 \ud83d\ude00", LocalDate.of(1, 1, 1),
                LocalDateTime.of(1969, 12, 31, 23, 59, 59, 123_456_000), Instant.parse("2024-03-30T23:30:00Z"),
                new BigDecimal("1234567890.12"), new BigDecimal("1234567890123456789012345678.0123456789"),
                "123456789012345678901234567890.123456789", 0.1, 1.5f, true, Long.MIN_VALUE,
                UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 0x10}),
                Arrays.asList("a,b", null), Arrays.asList(1, null, 3), "{\"b\": [1, 2]}", LocalTime.of(23, 59, 59, 999_999_000),
                "P1DT2H", LocalDate.of(2024, 2, 29));
        assertThat(rows.get(1)).containsExactly(2, "", LocalDate.of(9999, 12, 31), LocalDateTime.of(2024, 1, 31, 8, 30),
                Instant.EPOCH, new BigDecimal("-0.01"), new BigDecimal("-1.5000000000"), "NaN", Double.POSITIVE_INFINITY,
                Float.NaN, false, Long.MAX_VALUE, new UUID(0, 0), ByteBuffer.wrap(new byte[0]), List.of(), List.of(), "[]",
                LocalTime.MIDNIGHT, "PT0S", null);
        assertThat(rows.get(2).get(0)).isEqualTo(3);
        assertThat(rows.get(2).subList(1, 20)).containsOnlyNulls();
    }

    @Test
    void aSplitTableRollsOverIntoSeveralWholeContainersThatTheManifestCounts() throws Exception {
        Manifest manifest = export("orders", Compression.SNAPPY, 48 << 10, 512 << 10);

        assertThat(manifest.rows()).isEqualTo(30_000);
        assertThat(manifest.files()).hasSizeGreaterThan(4);
        List<List<Object>> all = AvroFiles.published(dir, "orders", "snappy", 48 << 10);
        for (int i = 0; i < 30_000; i++) {
            assertThat(all.get(i)).containsExactly((long) i, "order " + i + " \u2211", LocalDate.of(2000, 1, 1).plusDays(i),
                    BigDecimal.valueOf(i, 2));
        }
    }
}
