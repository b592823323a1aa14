package io.spillway.format;

import io.spillway.spi.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Rows of every canonical Java type of {@link Values}, under the type names a PostgreSQL or MySQL
 * source reports, as a server source hands them to {@link ShardWriter#rows}; with the same values
 * as DuckDB SQL literals, to compare what DuckDB reads back from the written files.
 */
final class TypedRows {
    /** One column: its source type, the DuckDB type it reads back as, three Java values and their SQL. */
    record Case(String name, String sourceType, String duckType, List<Object> values, List<String> sql) {}

    static final List<Case> CASES = List.of(
            c("b", "boolean", "BOOLEAN", v(true, false), "true", "false"),
            c("i8", "tinyint", "TINYINT", v((byte) -128, (byte) 127), "-128", "127"),
            c("i16", "int2", "SMALLINT", v((short) -32768, (short) 32767), "-32768", "32767"),
            c("i32", "int4", "INTEGER", v(Integer.MIN_VALUE, Integer.MAX_VALUE), "-2147483648", "2147483647"),
            c("i64", "int8", "BIGINT", v(Long.MIN_VALUE, 9007199254740993L), "-9223372036854775808", "9007199254740993"),
            c("u64", "bigint unsigned", "UBIGINT", v(new BigInteger("18446744073709551615"), BigInteger.ZERO),
                    "18446744073709551615", "0"),
            c("f32", "real", "FLOAT", v(Float.NaN, 1.1f), "'nan'", "1.1"),
            c("f64", "double precision", "DOUBLE", v(Double.NEGATIVE_INFINITY, 0.1), "'-inf'", "0.1"),
            c("f64b", "float8", "DOUBLE", v(1e300, Double.POSITIVE_INFINITY), "1e300", "'inf'"),
            c("d10", "numeric(10,2)", "DECIMAL(10,2)", v(new BigDecimal("12345678.90"), new BigDecimal("-0.01")),
                    "12345678.90", "-0.01"),
            c("d38", "numeric(38,10)", "DECIMAL(38,10)",
                    v(new BigDecimal("1234567890123456789012345678.0123456789"), new BigDecimal("1.5")),
                    "1234567890123456789012345678.0123456789", "1.5"),
            c("num", "numeric", "VARCHAR",
                    v(new BigDecimal("3.14159265358979323846264338327950288419716939937510"), new BigDecimal("1E+3")),
                    "'3.14159265358979323846264338327950288419716939937510'", "'1000'"),
            c("big", "hugeint", "VARCHAR", v(new BigInteger("170141183460469231731687303715884105727"), BigInteger.TEN),
                    "'170141183460469231731687303715884105727'", "'10'"),
            c("s", "character varying(20)", "VARCHAR", v("h\u00e9llo \"q\", \n\u2211 \ud83d\ude00", ""),
                    "'h\u00e9llo \"q\", \n\u2211 \ud83d\ude00'", "''"),
            c("bin", "bytea", "BLOB", v(new byte[] {(byte) 0xaa, 0, (byte) 0xff}, new byte[0]), "'\\xAA\\x00\\xFF'", "''"),
            c("id", "uuid", "UUID", v(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                    UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")),
                    "'123e4567-e89b-12d3-a456-426614174000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"),
            c("dt", "date", "DATE", v(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31)), "'0001-01-01'", "'9999-12-31'"),
            c("t", "time without time zone", "TIME", v(LocalTime.of(23, 59, 59, 999_999_000), LocalTime.MIDNIGHT),
                    "'23:59:59.999999'", "'00:00:00'"),
            c("ts", "timestamp(6) without time zone", "TIMESTAMP",
                    v(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 123_456_000), LocalDateTime.of(2024, 1, 31, 8, 30)),
                    "'1969-12-31 23:59:59.123456'", "'2024-01-31 08:30:00'"),
            c("tz", "timestamptz", "TIMESTAMPTZ", v(Instant.parse("2024-01-31T08:30:00.123456Z"),
                    OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2))),
                    "'2024-01-31 08:30:00.123456+00'", "'2024-06-01 10:00:00+00'"),
            c("tz2", "timestamp with time zone", "TIMESTAMPTZ",
                    v(ZonedDateTime.of(2024, 3, 31, 3, 0, 0, 0, ZoneId.of("Europe/Paris")), Instant.EPOCH),
                    "'2024-03-31 01:00:00+00'", "'1970-01-01 00:00:00+00'"),
            c("ints", "_int4", "INTEGER[]", v(Arrays.asList(1, null, 3), List.of()), "[1, NULL, 3]", "[]"),
            c("strs", "text[]", "VARCHAR[]", v(List.of("a", "b,c"), Arrays.asList((String) null)), "['a', 'b,c']", "[NULL]"),
            c("nested", "bigint[][]", "BIGINT[][]", v(List.of(List.of(1L, 9007199254740993L), List.of()), List.of()),
                    "[[1, 9007199254740993], []]", "[]"),
            c("times", "timestamp[]", "TIMESTAMP[]", v(List.of(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1000)), List.of()),
                    "['2024-01-01 00:00:00.000001']", "[]"),
            c("js", "jsonb", "VARCHAR", v("{\"a\": [1, 2]}", "[]"), "'{\"a\": [1, 2]}'", "'[]'"),
            c("iv", "interval", "VARCHAR", v("1 day 02:00:00", "00:00:00"), "'1 day 02:00:00'", "'00:00:00'"));

    private TypedRows() {}

    private static Case c(String name, String sourceType, String duckType, List<Object> values, String... sql) {
        return new Case(name, sourceType, duckType, values, List.of(sql));
    }

    private static List<Object> v(Object a, Object b) {
        return Arrays.asList(a, b, null);
    }

    static List<Column> columns() {
        return CASES.stream().map(c -> new Column(c.name(), c.sourceType())).toList();
    }

    /** Three rows: ordinary-to-extreme values, other values, all nulls. */
    static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int row = r;
            rows.add(CASES.stream().map(c -> c.values().get(row)).toArray());
        }
        return rows;
    }

    /** The rows as DuckDB sees them, as a query. */
    static String expected() {
        List<String> selects = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int row = r;
            selects.add("SELECT " + CASES.stream()
                    .map(c -> "CAST(" + (row < 2 ? escape(c.sql().get(row)) : "NULL") + " AS " + c.duckType() + ") AS "
                            + c.name())
                    .collect(Collectors.joining(", ")));
        }
        return String.join(" UNION ALL ", selects);
    }

    private static String escape(String literal) {
        return literal.contains("\\x") ? literal : literal.replace("\n", "' || chr(10) || '");
    }

    /** The columns= argument of read_json: the type each column reads back as (binary as its base64 text). */
    static String jsonColumns() {
        return CASES.stream().map(c -> c.name() + ": '" + (c.duckType().equals("BLOB") ? "VARCHAR" : c.duckType()) + "'")
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** A select list over what was read back that makes it comparable with {@link #expected()}. */
    static String readBack(boolean json) {
        return CASES.stream().map(c -> switch (c.duckType()) {
            case "BLOB" -> json ? "from_base64(" + c.name() + ") AS " + c.name() : c.name();
            case "VARCHAR" -> c.name() + "::VARCHAR AS " + c.name();
            default -> c.name();
        }).collect(Collectors.joining(", "));
    }

    /** Rows in one query and not the other, both ways; empty when they hold the same rows. */
    static List<List<Object>> difference(TestDuckDb db, String actual) throws SQLException {
        db.execute("CREATE OR REPLACE TEMP TABLE actual AS " + actual);
        db.execute("CREATE OR REPLACE TEMP TABLE expected AS " + expected());
        List<List<Object>> diff = new ArrayList<>();
        diff.addAll(db.rows("SELECT 'unexpected' AS side, * FROM (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected)"));
        diff.addAll(db.rows("SELECT 'missing' AS side, * FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual)"));
        return diff;
    }
}
