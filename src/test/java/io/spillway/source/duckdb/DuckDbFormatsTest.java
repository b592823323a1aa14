package io.spillway.source.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.format.TestDuckDb;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DuckDB's own JSON and Parquet writers, as DuckDbSource drives them, read back equal to the source. */
class DuckDbFormatsTest {
    /** Every DuckDB type a table column commonly has: name, type, two values (the third row is all nulls). */
    static final List<String[]> TYPES = List.of(
            t("b", "BOOLEAN", "true", "false"),
            t("i8", "TINYINT", "-128", "127"),
            t("i16", "SMALLINT", "-32768", "32767"),
            t("i32", "INTEGER", "-2147483648", "2147483647"),
            t("i64", "BIGINT", "-9223372036854775808", "9007199254740993"),
            t("i128", "HUGEINT", "-170141183460469231731687303715884105728", "42"),
            t("u8", "UTINYINT", "255", "0"),
            t("u16", "USMALLINT", "65535", "0"),
            t("u32", "UINTEGER", "4294967295", "0"),
            t("u64", "UBIGINT", "18446744073709551615", "9007199254740991"),
            t("u128", "UHUGEINT", "340282366920938463463374607431768211455", "0"),
            t("f32", "FLOAT", "'nan'", "1.1"),
            t("f64", "DOUBLE", "'-inf'", "0.1"),
            t("f64b", "DOUBLE", "1e300", "'inf'"),
            t("d4", "DECIMAL(4,1)", "-999.9", "0.5"),
            t("d18", "DECIMAL(18,3)", "123456789012345.678", "-0.001"),
            t("d38", "DECIMAL(38,10)", "1234567890123456789012345678.0123456789", "1.5"),
            t("s", "VARCHAR", "'h\u00e9llo \"q\", ' || chr(10) || '\u2211 \ud83d\ude00'", "''"),
            t("bin", "BLOB", "'\\xAA\\x00\\xFF'", "''"),
            t("dt", "DATE", "'0001-01-01'", "'9999-12-31'"),
            t("tm", "TIME", "'23:59:59.999999'", "'00:00:00'"),
            t("ts", "TIMESTAMP", "'1969-12-31 23:59:59.123456'", "'2024-01-31 08:30:00'"),
            t("ts_s", "TIMESTAMP_S", "'2024-01-31 08:30:01'", "'1970-01-01 00:00:00'"),
            t("ts_ms", "TIMESTAMP_MS", "'2024-01-31 08:30:01.123'", "'1970-01-01 00:00:00'"),
            t("ts_ns", "TIMESTAMP_NS", "'2024-01-31 08:30:01.123456'", "'1970-01-01 00:00:00'"),
            t("tz", "TIMESTAMPTZ", "'2024-01-31 08:30:00.123456+00'", "'2024-06-01 12:00:00+02'"),
            t("iv", "INTERVAL", "INTERVAL 1 DAY + INTERVAL 2 HOUR", "INTERVAL 0 SECOND"),
            t("id", "UUID", "'123e4567-e89b-12d3-a456-426614174000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"),
            t("js", "JSON", "'{\"a\": [1, 2]}'", "'[]'"),
            t("en", "ENUM('x', 'y')", "'x'", "'y'"),
            t("ints", "INTEGER[]", "[1, NULL, 3]", "[]"),
            t("strs", "VARCHAR[]", "['a', 'b,c']", "[NULL]"),
            t("nested", "BIGINT[][]", "[[1, 9007199254740993], []]", "[]"),
            t("times", "TIMESTAMP[]", "['2024-01-01 00:00:00.000001']", "[]"),
            t("dbls", "DOUBLE[]", "['nan'::DOUBLE, 1.5]", "[]"),
            t("fixed", "INTEGER[2]", "[1, 2]", "[NULL, 4]"),
            t("st", "STRUCT(a INTEGER, b VARCHAR)", "{'a': 1, 'b': 'x'}", "{'a': NULL, 'b': NULL}"),
            t("bits", "BIT", "'0101'", "'1'"));

    /** Types whose values are compared as text: written as text on purpose, or read back as another type. */
    static final List<String> AS_TEXT = List.of("HUGEINT", "UHUGEINT", "INTERVAL", "JSON", "BIT", "ENUM('x', 'y')");

    @TempDir
    Path dir;
    Path database;

    private static String[] t(String name, String type, String first, String second) {
        return new String[] {name, type, first, second};
    }

    @BeforeEach
    void makeDatabase() throws Exception {
        database = dir.resolve("types.duckdb");
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int row = r;
            rows.add("SELECT " + TYPES.stream()
                    .map(c -> "CAST(" + (row < 2 ? c[2 + row] : "NULL") + " AS " + c[1] + ") AS " + c[0])
                    .collect(Collectors.joining(", ")));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE types AS " + String.join(" UNION ALL ", rows));
            s.execute("CREATE TABLE wide AS SELECT i AS id, repeat(md5(i::VARCHAR), 16) AS text, i / 7 AS x"
                    + " FROM range(60000) t(i)");
        }
    }

    private List<ShardFile> export(String table, Format format, Compression compression, long limit) throws Exception {
        try (DuckDbSource source = DuckDbSource.open("duckdb:" + database);
                ShardWriter out = new ShardWriter(new LocalStore(dir.resolve("out")), table + "/", format, compression,
                        limit)) {
            source.export(Unit.whole(table, 1), out);
            return out.finish();
        }
    }

    private String files(List<ShardFile> files) {
        return files.stream().map(f -> TestDuckDb.literal(dir.resolve("out").resolve(f.path())))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Rows in one query and not the other, both ways, with the types of {@link #TYPES} made comparable. */
    private List<List<Object>> difference(TestDuckDb db, String read, boolean json) throws Exception {
        db.execute("ATTACH " + TestDuckDb.literal(database) + " AS src (READ_ONLY)");
        String expected = "SELECT " + TYPES.stream()
                .map(c -> AS_TEXT.contains(c[1]) ? c[0] + "::VARCHAR AS " + c[0] : c[0])
                .collect(Collectors.joining(", ")) + " FROM src.types";
        String actual = "SELECT " + TYPES.stream()
                .map(c -> AS_TEXT.contains(c[1]) ? c[0] + "::VARCHAR AS " + c[0]
                        : json && c[1].equals("BLOB") ? "from_base64(" + c[0] + ") AS " + c[0] : c[0])
                .collect(Collectors.joining(", ")) + " FROM " + read;
        List<List<Object>> diff = new ArrayList<>();
        diff.addAll(db.rows("SELECT 'unexpected', * FROM (" + actual + " EXCEPT ALL " + expected + ")"));
        diff.addAll(db.rows("SELECT 'missing', * FROM (" + expected + " EXCEPT ALL " + actual + ")"));
        return diff;
    }

    @ParameterizedTest
    @CsvSource({"NONE", "ZSTD", "GZIP"})
    void jsonLinesReadBackEqualToTheSourceOverDuckDbsTypes(Compression compression) throws Exception {
        List<ShardFile> files = export("types", Format.JSONL, compression, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> assertThat(f.path()).endsWith(".jsonl" + compression.suffix()));
        String columns = TYPES.stream()
                .map(c -> c[0] + ": '" + (c[1].equals("BLOB") || AS_TEXT.contains(c[1]) ? "VARCHAR" : c[1]) + "'")
                .collect(Collectors.joining(", ", "{", "}"));
        try (TestDuckDb db = new TestDuckDb()) {
            String read = "read_json(" + files(files) + ", format = 'newline_delimited', columns = " + columns + ")";
            assertThat(difference(db, read, true)).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({"SNAPPY", "ZSTD", "GZIP", "NONE"})
    void parquetReadsBackEqualToTheSourceOverDuckDbsTypes(Compression compression) throws Exception {
        List<ShardFile> files = export("types", Format.PARQUET, compression, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.path()).endsWith("000000.parquet");
            assertThat(f.rows()).isEqualTo(3);
        });
        try (TestDuckDb db = new TestDuckDb()) {
            assertThat(difference(db, "read_parquet(" + files(files) + ")", false)).isEmpty();
            assertThat(db.rows("SELECT DISTINCT compression FROM parquet_metadata(" + files(files) + ")"))
                    .containsExactly(List.of(compression == Compression.NONE ? "UNCOMPRESSED" : compression.name()));
        }
    }

    @Test
    void parquetFilesStayWithinTheLimitEvenWhenRowsAreWiderThanEstimated() throws Exception {
        long limit = 1 << 20;

        List<ShardFile> files = export("wide", Format.PARQUET, Compression.SNAPPY, limit);

        assertThat(files).hasSizeGreaterThan(3);
        assertThat(files).allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(limit));
        assertThat(files.stream().mapToLong(ShardFile::rows).sum()).isEqualTo(60_000);
        try (TestDuckDb db = new TestDuckDb()) {
            assertThat(db.rows("SELECT count(*), count(DISTINCT id) FROM read_parquet(" + files(files) + ")"))
                    .containsExactly(List.of(60_000L, 60_000L));
        }
    }

    @Test
    void csvRendersTimesTimestampsAndBlobsInTheTextFormsOfValues() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE times AS SELECT TIME '08:30:00' AS t, TIMESTAMP '2024-01-31 08:30:00' AS ts,"
                    + " TIMESTAMPTZ '2024-01-31 10:30:00+02' AS tz, '\\xAA\\x00'::BLOB AS b");
        }

        List<ShardFile> files = export("times", Format.CSV, Compression.NONE, 1 << 20);

        assertThat(java.nio.file.Files.readString(dir.resolve("out").resolve(files.get(0).path())))
                .isEqualTo("t,ts,tz,b\n08:30:00.000000,2024-01-31T08:30:00.000000,2024-01-31T08:30:00.000000Z,qgA=\n");
    }

    @ParameterizedTest
    @CsvSource({"CSV", "JSONL"})
    void zonedTimestampsAloneRenderInUtcAsWithPlainOnesBeside(Format format) throws Exception {
        // DuckDB's writer renders one timestamp type itself: here the zoned one, which must still come out in UTC
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'America/New_York'");
            s.execute("CREATE TABLE zoned AS SELECT TIMESTAMPTZ '2024-01-31 10:30:00.5+02' AS tz,"
                    + " [TIMESTAMPTZ '2024-06-01 00:00:00+00'] AS tzs, TIMESTAMP_NS '2024-01-31 08:30:00.123456' AS ns");
        }

        List<ShardFile> files = export("zoned", format, Compression.NONE, 1 << 20);

        String text = java.nio.file.Files.readString(dir.resolve("out").resolve(files.get(0).path()));
        assertThat(text).isEqualTo(format == Format.CSV
                ? "tz,tzs,ns\n2024-01-31T08:30:00.500000Z,['2024-06-01T00:00:00.000000Z'],2024-01-31T08:30:00.123456\n"
                : "{\"tz\":\"2024-01-31T08:30:00.500000Z\",\"tzs\":[\"2024-06-01T00:00:00.000000Z\"],"
                        + "\"ns\":\"2024-01-31T08:30:00.123456\"}\n");
    }

    @ParameterizedTest
    @CsvSource({"CSV", "JSONL"})
    void zonedTimestampsBesidePlainOnesKeepEveryValue(Format format) throws Exception {
        // a plain timestamp column takes the writer's own format, so the zoned column goes through the select's
        // expression: infinities, years before 1970, before year 1 and after 9999, and NULL, in another time zone
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'Asia/Kolkata'");
            s.execute("CREATE TABLE edges (i INTEGER, tz TIMESTAMPTZ, ts TIMESTAMP)");
            s.execute("INSERT INTO edges VALUES (1, '2024-06-01 12:00:00.000001+05:30', '2024-01-01'), (2, 'infinity', NULL),"
                    + " (3, '-infinity', NULL), (4, '1969-12-31 23:59:59.999999+00', NULL), (5, '-0043-03-15 12:00:00+00', NULL),"
                    + " (6, '12345-06-07 08:09:10+00', NULL), (7, NULL, NULL)");
        }

        List<ShardFile> files = export("edges", format, Compression.NONE, 1 << 20);

        String text = java.nio.file.Files.readString(dir.resolve("out").resolve(files.get(0).path()));
        String[] zoned = {"2024-06-01T06:30:00.000001Z", "infinity", "-infinity", "1969-12-31T23:59:59.999999Z",
                "-43-03-15T12:00:00.000000Z", "12345-06-07T08:09:10.000000Z"};
        StringBuilder expected = new StringBuilder(format == Format.CSV ? "i,tz,ts\n" : "");
        for (int i = 0; i < 7; i++) {
            String tz = i < zoned.length ? zoned[i] : null;
            String ts = i == 0 ? "2024-01-01T00:00:00.000000" : null;
            expected.append(format == Format.CSV
                    ? (i + 1) + "," + (tz == null ? "" : tz) + "," + (ts == null ? "" : ts) + "\n"
                    : "{\"i\":" + (i + 1) + ",\"tz\":" + (tz == null ? "null" : "\"" + tz + "\"") + ",\"ts\":"
                            + (ts == null ? "null" : "\"" + ts + "\"") + "}\n");
        }
        assertThat(text).isEqualTo(expected.toString());
    }

    @Test
    void anEmptyTableIsOneParquetFileWithNoRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE empty (a INTEGER, b VARCHAR)");
        }

        List<ShardFile> files = export("empty", Format.PARQUET, Compression.SNAPPY, 1 << 20);

        assertThat(files).singleElement().satisfies(f -> assertThat(f.rows()).isZero());
        try (TestDuckDb db = new TestDuckDb()) {
            assertThat(db.rows("DESCRIBE SELECT * FROM read_parquet(" + files(files) + ")")).hasSize(2);
        }
    }
}
