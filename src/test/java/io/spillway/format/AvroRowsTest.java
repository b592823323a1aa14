package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.RowSink;
import io.spillway.spi.TypeDialect;
import io.spillway.store.local.LocalStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AvroRowsTest {
    @TempDir
    Path dir;

    private List<ShardFile> write(List<Column> columns, List<Object[]> rows, Compression compression, long limit)
            throws Exception {
        try (ShardWriter out = new ShardWriter(new LocalStore(dir), "t/", Format.AVRO, compression, limit)) {
            RowSink writer = out.rows(columns);
            for (Object[] row : rows) {
                writer.write(row);
            }
            return out.finish();
        }
    }

    private AvroFiles.Read read(ShardFile file) throws Exception {
        return AvroFiles.read(dir.resolve(file.path()));
    }

    @ParameterizedTest
    @CsvSource({"SNAPPY, snappy", "DEFLATE, deflate", "ZSTD, zstandard", "NONE, null"})
    void readsBackAsTheSourceValuesOfEveryCanonicalTypeWithTheCodecAsked(Compression compression, String codec)
            throws Exception {
        List<ShardFile> files = write(TypedRows.columns(), TypedRows.rows(), compression, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.path()).endsWith("000000.avro");
            assertThat(f.rows()).isEqualTo(3);
        });
        AvroFiles.Read read = read(files.get(0));
        assertThat(read.codec()).isEqualTo(codec);
        List<List<Object>> expected = new ArrayList<>();
        for (Object[] row : TypedRows.rows()) {
            Object[] e = new Object[row.length];
            for (int i = 0; i < row.length; i++) {
                e[i] = AvroFiles.expected(TypedRows.CASES.get(i).sourceType(), row[i]);
            }
            expected.add(Arrays.asList(e));
        }
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < TypedRows.CASES.size(); i++) {
                assertThat(read.rows().get(r).get(i)).as("row %d column %s", r, TypedRows.CASES.get(i).name())
                        .isEqualTo(expected.get(r).get(i));
            }
        }
    }

    @Test
    void mapsTheSourceTypesToNullableAvroTypesWithLogicalTypes() throws Exception {
        Schema schema = read(write(TypedRows.columns(), TypedRows.rows(), Compression.SNAPPY, 1 << 20).get(0)).schema();

        assertThat(schema.getFields()).extracting(Schema.Field::name)
                .containsExactlyElementsOf(TypedRows.CASES.stream().map(TypedRows.Case::name).toList());
        assertThat(schema.getFields()).allSatisfy(f -> {
            assertThat(f.schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
            assertThat(f.defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        });
        assertThat(type(schema, "i8")).isEqualTo("\"int\"");
        assertThat(type(schema, "i64")).isEqualTo("\"long\"");
        assertThat(type(schema, "u64")).isEqualTo("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":0}");
        assertThat(type(schema, "d38")).isEqualTo("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":38,\"scale\":10}");
        assertThat(type(schema, "num")).isEqualTo("\"string\"");
        assertThat(type(schema, "bin")).isEqualTo("\"bytes\"");
        assertThat(type(schema, "id")).isEqualTo("{\"type\":\"string\",\"logicalType\":\"uuid\"}");
        assertThat(type(schema, "dt")).isEqualTo("{\"type\":\"int\",\"logicalType\":\"date\"}");
        assertThat(type(schema, "t")).isEqualTo("{\"type\":\"long\",\"logicalType\":\"time-micros\"}");
        assertThat(type(schema, "ts")).isEqualTo("{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}");
        assertThat(type(schema, "tz")).isEqualTo("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}");
        assertThat(type(schema, "js")).isEqualTo("{\"type\":\"string\",\"sqlType\":\"JSON\"}");
        assertThat(type(schema, "ints")).isEqualTo("{\"type\":\"array\",\"items\":[\"null\",\"int\"]}");
    }

    private static String type(Schema record, String field) {
        return record.getField(field).schema().getTypes().get(1).toString();
    }

    @Test
    void namesAvroDoesNotAllowAreMadeValidAndKeepTheColumnsOwnName() throws Exception {
        List<Column> columns = List.of(new Column("order date", "date"), new Column("order_date", "int"),
                new Column("1st", "text"), new Column("prix €", "text"), new Column("ok", "boolean"));

        Schema schema = read(write(columns, List.of(), Compression.SNAPPY, 1 << 20).get(0)).schema();

        assertThat(schema.getFields()).extracting(Schema.Field::name)
                .containsExactly("order_date", "order_date_2", "_1st", "prix__", "ok");
        assertThat(schema.getFields()).extracting(f -> f.getProp("sourceName"))
                .containsExactly("order date", "order_date", "1st", "prix €", null);
    }

    @Test
    void readsSqliteColumnsByAffinityWhateverTheStorageClassOfEachValue() throws Exception {
        List<Column> columns = List.of(new Column("i", "INTEGER"), new Column("r", "REAL"), new Column("n", "NUMERIC"),
                new Column("any", ""), new Column("ok", "BOOLEAN"), new Column("b", "BLOB"));
        List<ShardFile> files;
        try (ShardWriter out = new ShardWriter(new LocalStore(dir), "t/", Format.AVRO, Compression.SNAPPY, 1 << 20)) {
            RowSink writer = out.rows(columns, TypeDialect.SQLITE);
            writer.write(new Object[] {1L << 40, 0.1, 5L, "text", true, new byte[] {1}});
            writer.write(new Object[] {7, 3.0, 2.5, 42L, false, "ab"});
            files = out.finish();
        }

        assertThat(read(files.get(0)).rows()).containsExactly(
                List.of(1L << 40, 0.1, "5", "text", true, java.nio.ByteBuffer.wrap(new byte[] {1})),
                List.of(7L, 3.0, "2.5", "42", false, java.nio.ByteBuffer.wrap(new byte[] {'a', 'b'})));
    }

    @Test
    void startsANewFileBeforeOneWouldPassTheLimitEachAWholeContainer() throws Exception {
        List<Column> columns = List.of(new Column("id", "bigint"), new Column("name", "varchar"),
                new Column("amount", "numeric(12,2)"));
        List<Object[]> rows = LongStream.range(0, 100_000)
                .mapToObj(i -> new Object[] {i, "name " + (i * 7919 % 100_003), BigDecimal.valueOf(i, 2)}).toList();
        long limit = 128 << 10;

        List<ShardFile> files = write(columns, rows, Compression.DEFLATE, limit);

        assertThat(files).hasSizeGreaterThan(5);
        assertThat(files.subList(0, files.size() - 1)).allSatisfy(f -> assertThat(f.bytes()).isBetween(limit * 3 / 4, limit));
        assertThat(files.get(files.size() - 1).bytes()).isLessThanOrEqualTo(limit);
        long next = 0;
        for (ShardFile f : files) {
            AvroFiles.Read read = read(f);
            assertThat(read.codec()).isEqualTo("deflate");
            assertThat(read.rows()).hasSize((int) f.rows());
            for (List<Object> row : read.rows()) {
                assertThat(row).containsExactly(next, "name " + (next * 7919 % 100_003), BigDecimal.valueOf(next, 2));
                next++;
            }
        }
        assertThat(next).isEqualTo(100_000);
    }

    @Test
    void aRowLargerThanTheLimitGetsAFileOfItsOwn() throws Exception {
        List<Column> columns = List.of(new Column("blob", "bytea"));
        byte[] big = new byte[8 << 10];
        new java.util.Random(1).nextBytes(big);

        List<ShardFile> files = write(columns, List.<Object[]>of(new Object[] {new byte[10]}, new Object[] {big},
                new Object[] {new byte[10]}), Compression.SNAPPY, 4 << 10);

        assertThat(files).extracting(ShardFile::rows).containsExactly(1L, 1L, 1L);
        assertThat(read(files.get(1)).rows().get(0).get(0)).isEqualTo(java.nio.ByteBuffer.wrap(big));
    }

    @Test
    void anEmptyUnitIsOneFileWithTheSchemaAndNoRows() throws Exception {
        List<ShardFile> files = write(TypedRows.columns(), List.of(), Compression.SNAPPY, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> assertThat(f.rows()).isZero());
        AvroFiles.Read read = read(files.get(0));
        assertThat(read.rows()).isEmpty();
        assertThat(read.schema().getFields()).hasSize(TypedRows.CASES.size());
    }

    @Test
    void aValueThatDoesNotFitItsColumnStopsTheExportNamingTheColumn() {
        assertThatThrownBy(() -> write(List.of(new Column("n", "int4")), List.<Object[]>of(new Object[] {"abc"}),
                Compression.SNAPPY, 1 << 20))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("column n (int4): value 'abc' (String) is not an integer")
                .hasMessageContaining("export this table as csv or jsonl");
    }
}
