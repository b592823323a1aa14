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
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetRowsTest {
    @TempDir
    Path dir;

    private List<ShardFile> write(List<Column> columns, List<Object[]> rows, Compression compression, long limit)
            throws Exception {
        try (ShardWriter out = new ShardWriter(new LocalStore(dir), "t/", Format.PARQUET, compression, limit)) {
            RowSink writer = out.rows(columns);
            for (Object[] row : rows) {
                writer.write(row);
            }
            return out.finish();
        }
    }

    private String path(ShardFile file) {
        return TestDuckDb.literal(dir.resolve(file.path()));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"SNAPPY", "ZSTD", "GZIP", "NONE"})
    void readsBackInDuckDbAsTheSourceValuesOfEveryCanonicalType(Compression compression) throws Exception {
        List<ShardFile> files = write(TypedRows.columns(), TypedRows.rows(), compression, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.path()).endsWith("000000.parquet");
            assertThat(f.rows()).isEqualTo(3);
        });
        try (TestDuckDb db = new TestDuckDb()) {
            String read = "SELECT " + TypedRows.readBack(false) + " FROM read_parquet(" + path(files.get(0)) + ")";
            assertThat(TypedRows.difference(db, read)).isEmpty();
            assertThat(db.rows("SELECT DISTINCT compression FROM parquet_metadata(" + path(files.get(0)) + ")"))
                    .containsExactly(List.of(ParquetCodecs.codec(compression).name()));
        }
    }

    @Test
    void mapsTheSourceTypesToParquetLogicalTypes() throws Exception {
        List<ShardFile> files = write(TypedRows.columns(), TypedRows.rows(), Compression.SNAPPY, 1 << 20);

        try (TestDuckDb db = new TestDuckDb()) {
            Map<String, String> types = db.rows("SELECT name, type || ' ' || coalesce(logical_type, converted_type, '')"
                    + " FROM parquet_schema(" + path(files.get(0)) + ") WHERE type IS NOT NULL").stream()
                    .collect(Collectors.toMap(r -> (String) r.get(0), r -> (String) r.get(1), (a, b) -> a + "; " + b));
            assertThat(types.get("i8")).startsWith("INT32 IntType(").contains("isSigned=1");
            assertThat(types.get("u64")).startsWith("INT64 IntType(").contains("isSigned=0");
            assertThat(types.get("d10")).isEqualTo("INT64 DecimalType(scale=2, precision=10)");
            assertThat(types.get("d38")).isEqualTo("FIXED_LEN_BYTE_ARRAY DecimalType(scale=10, precision=38)");
            assertThat(types.get("num")).isEqualTo("BYTE_ARRAY StringType()");
            assertThat(types.get("bin")).isEqualTo("BYTE_ARRAY ");
            assertThat(types.get("id")).isEqualTo("FIXED_LEN_BYTE_ARRAY UUIDType()");
            assertThat(types.get("dt")).isEqualTo("INT32 DateType()");
            assertThat(types.get("t")).contains("INT64 TimeType(isAdjustedToUTC=0", "MICROS=MicroSeconds()");
            assertThat(types.get("ts")).contains("INT64 TimestampType(isAdjustedToUTC=0", "MICROS=MicroSeconds()");
            assertThat(types.get("tz")).contains("INT64 TimestampType(isAdjustedToUTC=1");
            assertThat(types.get("js")).isEqualTo("BYTE_ARRAY JsonType()");
            assertThat(db.rows("SELECT converted_type FROM parquet_schema(" + path(files.get(0)) + ") WHERE name = 'ints'"))
                    .containsExactly(List.of("LIST"));
        }
    }

    @Test
    void closesEachFileAtARowGroupBoundaryWithinTheSizeLimit() throws Exception {
        List<Column> columns = List.of(new Column("id", "bigint"), new Column("name", "varchar"),
                new Column("score", "double"));
        List<Object[]> rows = LongStream.range(0, 200_000)
                .mapToObj(i -> new Object[] {i, "name " + (i * 7919 % 100_003), i / 3.0}).toList();
        long limit = 256 << 10;

        List<ShardFile> files = write(columns, rows, Compression.SNAPPY, limit);

        assertThat(files).hasSizeGreaterThan(5);
        assertThat(files.subList(0, files.size() - 1)).allSatisfy(f -> assertThat(f.bytes()).isBetween(limit * 3 / 4, limit));
        assertThat(files.get(files.size() - 1).bytes()).isLessThanOrEqualTo(limit);
        assertThat(files.stream().mapToLong(ShardFile::rows).sum()).isEqualTo(200_000);
        try (TestDuckDb db = new TestDuckDb()) {
            String all = TestDuckDb.literal(dir.resolve("t") + "/*.parquet");
            assertThat(db.rows("SELECT count(*), count(DISTINCT id), sum(id) FROM read_parquet(" + all + ")"))
                    .containsExactly(List.of(200_000L, 200_000L, java.math.BigInteger.valueOf(199_999L * 200_000 / 2)));
            for (ShardFile f : files) {
                assertThat(db.value("SELECT count(*) FROM read_parquet(" + path(f) + ")")).isEqualTo(f.rows());
            }
        }
    }

    @Test
    void takesValuesAsSourcesReadThemFromTextAndJsonArrays() throws Exception {
        List<Column> columns = List.of(new Column("ints", "integer[]"), new Column("dbls", "double precision[]"),
                new Column("reals", "real[]"), new Column("ts", "timestamp without time zone[]"),
                new Column("tz", "timestamp with time zone[]"), new Column("days", "date[]"),
                new Column("bins", "bytea[]"), new Column("big", "bigint"), new Column("when", "timestamp"),
                new Column("tt", "time with time zone"));
        Object[] row = {List.of(BigInteger.ONE, BigInteger.valueOf(Integer.MAX_VALUE)),
                List.of(new BigDecimal("0.1"), new BigDecimal("1E+300")), List.of(new BigDecimal("1.1")),
                List.of("2024-01-31T08:30:00.5", "2024-01-31 08:30:00"), List.of("2024-01-31T08:30:00+02:00"),
                List.of("2024-01-31"), List.of("\\xaa00"), "9007199254740993", Instant.parse("2024-01-31T08:30:00Z"),
                "08:30:00+02"};

        List<ShardFile> files = write(columns, List.<Object[]>of(row), Compression.SNAPPY, 1 << 20);

        try (TestDuckDb db = new TestDuckDb()) {
            assertThat(db.rows("SELECT ints = [1, 2147483647], dbls = [0.1, 1e300], reals = [1.1::FLOAT],"
                    + " ts = ['2024-01-31 08:30:00.5'::TIMESTAMP, '2024-01-31 08:30:00'], tz = ['2024-01-31 06:30:00+00'::TIMESTAMPTZ],"
                    + " days = ['2024-01-31'::DATE], bins = ['\\xAA\\x00'::BLOB], big = 9007199254740993,"
                    + " \"when\" = '2024-01-31 08:30:00'::TIMESTAMP, tt::VARCHAR FROM read_parquet(" + path(files.get(0)) + ")"))
                    .containsExactly(List.of(true, true, true, true, true, true, true, true, true, "06:30:00+00"));
        }
    }

    @Test
    void readsSqliteColumnsByAffinityWhateverTheStorageClassOfEachValue() throws Exception {
        List<Column> columns = List.of(new Column("i", "INTEGER"), new Column("r", "REAL"), new Column("n", "NUMERIC"),
                new Column("any", ""), new Column("ok", "BOOLEAN"), new Column("b", "BLOB"));
        List<Object[]> rows = List.of(new Object[] {1L << 40, 0.1, 5L, "text", true, new byte[] {1}},
                new Object[] {7, 3.0, 2.5, 42L, false, "ab"});
        List<ShardFile> files;
        try (ShardWriter out = new ShardWriter(new LocalStore(dir), "t/", Format.PARQUET, Compression.SNAPPY, 1 << 20)) {
            RowSink writer = out.rows(columns, TypeDialect.SQLITE);
            for (Object[] row : rows) {
                writer.write(row);
            }
            files = out.finish();
        }

        try (TestDuckDb db = new TestDuckDb()) {
            assertThat(db.rows("SELECT i, r, n, \"any\", ok, hex(b) FROM read_parquet(" + path(files.get(0)) + ")"))
                    .containsExactly(List.of(1L << 40, 0.1, "5", "text", true, "01"),
                            List.of(7L, 3.0, "2.5", "42", false, "6162"));
        }
    }

    @Test
    void anEmptyUnitIsOneFileWithTheSchemaAndNoRows() throws Exception {
        List<ShardFile> files = write(TypedRows.columns(), List.of(), Compression.SNAPPY, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> assertThat(f.rows()).isZero());
        try (TestDuckDb db = new TestDuckDb()) {
            assertThat(db.value("SELECT count(*) FROM read_parquet(" + path(files.get(0)) + ")")).isEqualTo(0L);
            assertThat(db.rows("DESCRIBE SELECT * FROM read_parquet(" + path(files.get(0)) + ")"))
                    .hasSize(TypedRows.CASES.size());
        }
    }

    @Test
    void aValueThatDoesNotFitItsColumnStopsTheExportNamingTheColumn() {
        List<Column> columns = List.of(new Column("n", "int4"));

        assertThatThrownBy(() -> write(columns, List.<Object[]>of(new Object[] {"abc"}), Compression.SNAPPY, 1 << 20))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("column n (int4): value 'abc' (String) is not an integer")
                .hasMessageContaining("export this table as csv or jsonl");
        assertThatThrownBy(() -> write(List.of(new Column("d", "numeric(5,1)")),
                List.<Object[]>of(new Object[] {new java.math.BigDecimal("1.25")}), Compression.SNAPPY, 1 << 20))
                .hasMessageContaining("column d (numeric(5,1)): value '1.25' (BigDecimal) is not a decimal with at most 1 digits");
    }
}
