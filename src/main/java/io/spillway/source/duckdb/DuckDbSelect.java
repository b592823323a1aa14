package io.spillway.source.duckdb;

import io.spillway.spi.Column;
import io.spillway.spi.Format;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The select-list items that make DuckDB's own writers render values as Spillway documents them
 * (the text forms of {@code format.Values}, the JSON lines rules of {@code docs/formats.md}), so a
 * DuckDB table exports the same whichever path writes it:
 *
 * <ul>
 * <li>CSV and JSON lines: timestamps {@code 2024-01-31T08:30:00.000000}, with time zone in UTC and
 *     a {@code Z}; times {@code 08:30:00.000000}; blobs in base64
 * <li>JSON lines also: integers beyond 2^53-1 and decimals of more than 15 digits as strings;
 *     {@code NaN} and infinities as strings; JSON columns as text; the same inside lists
 * <li>Parquet: the types DuckDB would write lossily or that few readers know (HUGEINT as a double,
 *     INTERVAL, BIT, BIGNUM) as text, as the Parquet row writer maps them
 * <li>Avro, which DuckDB does not write: what the driver reads into no type of {@code format.Values}
 *     as text or JSON text, for the row writer
 * </ul>
 */
final class DuckDbSelect {
    private static final String MAX_SAFE = "9007199254740991";
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

    private DuckDbSelect() {}

    private static final String PLAIN = "TIMESTAMP";
    private static final String ZONED = "TIMESTAMP WITH TIME ZONE";

    /**
     * The timestamp type whose top-level columns DuckDB's CSV and JSON writers render themselves,
     * through COPY's {@code TIMESTAMPFORMAT} option (see {@link #timestampFormat}), or null: that
     * is much faster than {@code strftime} in the select list, but one format serves one of the
     * two types only, plain timestamps first; the other type keeps its expression. Zoned
     * timestamps are rendered in the session's time zone, which the source sets to UTC.
     */
    static String nativeTimestamp(List<Column> columns, Format format) {
        if (!format.lines()) {
            return null;
        }
        Set<String> types = columns.stream().map(c -> c.type().toUpperCase(Locale.ROOT).trim()).collect(Collectors.toSet());
        return types.contains(PLAIN) ? PLAIN : types.contains(ZONED) ? ZONED : null;
    }

    /** The COPY {@code TIMESTAMPFORMAT} for {@link #nativeTimestamp}'s type: the same text as the expressions give. */
    static String timestampFormat(String nativeTimestamp) {
        return nativeTimestamp.equals(PLAIN) ? "%Y-%m-%dT%H:%M:%S.%f" : "%Y-%m-%dT%H:%M:%S.%fZ";
    }

    /**
     * The select-list item for a column: the column itself, or an expression named like it; a
     * column of type {@code nativeTimestamp} (may be null) is left to the writer's own format.
     */
    static String item(Column c, Format format, String nativeTimestamp) {
        String q = quote(c.name());
        String type = c.type().toUpperCase(Locale.ROOT).trim();
        String e = type.equals(nativeTimestamp) ? null : expression(q, type, format, 0);
        return e == null ? q : e + " AS " + q;
    }

    /** The expression for a value {@code x} of {@code type}, or null when DuckDB's own rendering is right. */
    private static String expression(String x, String type, Format format, int depth) {
        if (type.endsWith("]")) {
            String element = type.substring(0, type.lastIndexOf('['));
            String var = "e" + depth;
            String e = expression(var, element, format, depth + 1);
            return e == null ? null : "list_transform(" + x + ", lambda " + var + ": " + e + ")";
        }
        return switch (format) {
            case CSV -> text(x, type);
            case JSONL -> json(x, type);
            case PARQUET -> parquet(x, type);
            case AVRO -> avro(x, type, depth);
        };
    }

    private static String text(String x, String type) {
        if (type.equals("TIMESTAMP WITH TIME ZONE")) {
            // the instant's UTC wall clock from its microseconds, not through timezone('UTC', x), which converts each
            // value with ICU's calendar: a COPY of the benchmark's s3 table (two such columns of its six) took 2.3 s
            // instead of 2.7 to 3.4; infinities, which have no wall clock, keep their text
            return "coalesce(strftime(make_timestamp(epoch_us(" + x + ")), '%Y-%m-%dT%H:%M:%S.%fZ'), " + x + "::VARCHAR)";
        }
        if (type.startsWith("TIMESTAMP")) {
            return "strftime(" + x + "::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%f')";
        }
        if (type.equals("TIME")) {
            return "strftime(DATE '2000-01-01' + " + x + ", '%H:%M:%S.%f')";
        }
        if (type.equals("BLOB")) {
            return "to_base64(" + x + ")";
        }
        return null;
    }

    private static String json(String x, String type) {
        switch (type) {
            case "BIGINT", "UBIGINT", "HUGEINT", "UHUGEINT", "BIGNUM", "VARINT" -> {
                String safe = type.startsWith("U") ? x + " <= " + MAX_SAFE
                        : x + " BETWEEN -" + MAX_SAFE + " AND " + MAX_SAFE;
                return "CASE WHEN " + safe + " THEN to_json(" + x + ") ELSE to_json(" + x + "::VARCHAR) END";
            }
            case "DOUBLE", "FLOAT" -> {
                String number = type.equals("FLOAT") ? x + "::VARCHAR::JSON" : "to_json(" + x + ")";
                return "CASE WHEN isnan(" + x + ") THEN to_json('NaN') WHEN " + x + " = 'infinity' THEN to_json('Infinity')"
                        + " WHEN " + x + " = '-infinity' THEN to_json('-Infinity') ELSE " + number + " END";
            }
            case "JSON", "BIT" -> {
                return x + "::VARCHAR";
            }
            default -> {
                Matcher m = DECIMAL.matcher(type);
                if (m.matches() && Integer.parseInt(m.group(1)) > 15) {
                    int scale = Integer.parseInt(m.group(2));
                    String limit = BigDecimal.ONE.scaleByPowerOfTen(15 - scale).toPlainString();
                    return "CASE WHEN abs(" + x + ") < CAST('" + limit + "' AS " + type + ") THEN to_json(" + x
                            + ") ELSE to_json(" + x + "::VARCHAR) END";
                }
                return text(x, type);
            }
        }
    }

    private static String parquet(String x, String type) {
        return switch (type) {
            case "HUGEINT", "UHUGEINT", "BIGNUM", "VARINT", "INTERVAL", "BIT" -> x + "::VARCHAR";
            default -> null;
        };
    }

    /**
     * Avro, written from rows the driver reads: STRUCT, MAP and UNION as JSON text, the types of
     * Parquet's list as text, and timestamps inside lists as text too (see {@link DuckDbRows}).
     */
    private static String avro(String x, String type, int depth) {
        if (type.startsWith("STRUCT(") || type.startsWith("MAP(") || type.startsWith("UNION(")) {
            return "to_json(" + x + ")::VARCHAR";
        }
        return depth > 0 && isLocalTimestamp(type) ? x + "::VARCHAR" : parquet(x, type);
    }

    /** Whether a type (upper case) is a timestamp without time zone. */
    static boolean isLocalTimestamp(String type) {
        return type.matches("TIMESTAMP(_S|_MS|_NS)?");
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
