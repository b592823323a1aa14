package io.spillway.source.postgres;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.spillway.source.jdbc.ColumnReader;
import io.spillway.spi.Column;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A PostgreSQL column: its name, its type as {@code format_type} prints it, and the name and
 * category of its base type (a domain's underlying type), which decide how its values are written.
 *
 * <p>In CSV, COPY writes each value in PostgreSQL's own text form (under the session settings
 * {@code DateStyle ISO}, {@code IntervalStyle iso_8601}, {@code TimeZone UTC}) except for the
 * types rewritten by {@link #csv}, so that every source renders them alike (see docs/sources.md).
 */
record PgColumn(String name, String type, String base, String category) {
    private static final ObjectReader JSON = new ObjectMapper().readerFor(List.class)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    Column column() {
        return new Column(name, type);
    }

    /**
     * The select-list item that COPY writes: bytea as base64 and arrays as JSON are rendered by
     * the server; booleans, timestamps and times are fixed on the client (see {@link #fix()}).
     */
    String csv() {
        String q = PostgresSource.ident(name);
        if (base.equals("bytea")) {
            return "translate(encode(" + q + ", 'base64'), E'\\n', '') AS " + q;
        }
        return category.equals("A") ? "array_to_json(" + q + ")::text AS " + q : q;
    }

    /** Whether COPY writes this column as it is stored, so a table of such columns is copied without a SELECT. */
    boolean copiedAsIs() {
        return !category.equals("A") && !base.equals("bytea");
    }

    /** How the client writes this column from a binary COPY, or null if it does not (see {@link BinaryCsv}). */
    BinaryCsv.Kind binary() {
        return BinaryCsv.kind(base, category);
    }

    /** What the client rewrites in this column's COPY text. */
    CsvRewriter.Fix fix() {
        if (category.equals("A")) {
            return CsvRewriter.Fix.NONE;
        }
        return switch (base) {
            case "bool" -> CsvRewriter.Fix.BOOL;
            case "timestamp" -> CsvRewriter.Fix.TIMESTAMP;
            case "timestamptz" -> CsvRewriter.Fix.TIMESTAMPTZ;
            case "time" -> CsvRewriter.Fix.TIME;
            default -> CsvRewriter.Fix.NONE;
        };
    }

    /** The select-list item for the row path: arrays come as JSON text, parsed into lists by {@link #reader}. */
    String row() {
        String q = PostgresSource.ident(name);
        return category.equals("A") ? "array_to_json(" + q + ")::text AS " + q : q;
    }

    /** Reads the column for the row path in the Java types of {@code format.Values}. */
    ColumnReader reader() {
        if (category.equals("A")) {
            return (rs, i) -> {
                String s = rs.getString(i);
                try {
                    return s == null ? null : JSON.readValue(s);
                } catch (IOException e) {
                    throw new SQLException("array value is not JSON: " + e.getMessage(), e);
                }
            };
        }
        return switch (base) {
            case "bool" -> ColumnReader.BOOLEAN;
            case "int2", "int4" -> ColumnReader.INT;
            case "int8" -> ColumnReader.LONG;
            case "float4" -> ColumnReader.FLOAT;
            case "float8" -> ColumnReader.DOUBLE;
            case "bytea" -> ColumnReader.BYTES;
            case "numeric" -> (rs, i) -> {
                String s = rs.getString(i);
                return s == null || s.equals("NaN") || s.endsWith("Infinity") ? s : new BigDecimal(s);
            };
            case "date" -> (rs, i) -> infinite(rs.getObject(i, LocalDate.class), LocalDate.MAX, LocalDate.MIN);
            case "timestamp" -> (rs, i) -> infinite(rs.getObject(i, LocalDateTime.class), LocalDateTime.MAX, LocalDateTime.MIN);
            case "timestamptz" -> (rs, i) -> infinite(rs.getObject(i, OffsetDateTime.class), OffsetDateTime.MAX, OffsetDateTime.MIN);
            case "time" -> (rs, i) -> rs.getObject(i, LocalTime.class);
            default -> ColumnReader.STRING;
        };
    }

    /** The driver maps PostgreSQL's infinities to the largest and smallest Java values; they are written as PostgreSQL does. */
    private static Object infinite(Object value, Object max, Object min) {
        return max.equals(value) ? "infinity" : min.equals(value) ? "-infinity" : value;
    }
}
