package io.spillway.source.mysql;

import io.spillway.source.jdbc.ColumnReader;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How each MySQL/MariaDB type is read into the Java types of {@code format.Values} (the session
 * runs in UTC, so TIMESTAMP values are read as the instants they store):
 * integers as Integer/Long (BIGINT UNSIGNED as BigInteger), DECIMAL as BigDecimal, FLOAT and
 * DOUBLE as Float and Double, BIT(1) as Boolean and BIT(n) as a string of n '0'/'1', DATE as
 * LocalDate, DATETIME as LocalDateTime, TIMESTAMP as Instant, TIME as LocalTime when it is a time
 * of day (else as MySQL writes it, e.g. {@code -838:59:59}), YEAR as Integer, binary strings,
 * BLOBs and spatial values as bytes, everything else (text, ENUM, SET, JSON) as text. Zero dates
 * ({@code 0000-00-00}) stay as MySQL writes them. BOOLEAN is TINYINT(1) in MySQL and exports as 0/1.
 */
final class MySqlColumns {
    private static final Pattern BITS = Pattern.compile("bit\\((\\d+)\\)");

    private MySqlColumns() {}

    /**
     * The select-list item of a column: dates and times come as the server's text ({@code CAST AS CHAR}),
     * which the readers below parse; the driver's own temporal decoding formats and re-parses every value.
     */
    static String select(String name, String dataType) {
        String q = MySqlSource.ident(name);
        return switch (dataType) {
            case "date", "datetime", "timestamp", "time" -> "CAST(" + q + " AS CHAR) AS " + q;
            default -> q;
        };
    }

    static ColumnReader reader(String dataType, String columnType) {
        boolean unsigned = columnType.contains("unsigned");
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "year" -> ColumnReader.INT;
            case "int", "integer" -> unsigned ? ColumnReader.LONG : ColumnReader.INT;
            case "bigint" -> unsigned ? (rs, i) -> {
                String s = rs.getString(i);
                return s == null ? null : new BigInteger(s);
            } : ColumnReader.LONG;
            case "decimal", "numeric" -> ColumnReader.DECIMAL;
            case "float" -> ColumnReader.FLOAT;
            case "double", "real" -> ColumnReader.DOUBLE;
            case "bit" -> bits(columnType);
            case "date" -> (rs, i) -> date(rs.getString(i));
            case "datetime" -> (rs, i) -> dateTime(rs.getString(i));
            case "timestamp" -> (rs, i) -> {
                Object t = dateTime(rs.getString(i));
                return t instanceof LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : t;
            };
            case "time" -> (rs, i) -> time(rs.getString(i));
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring",
                    "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection" -> ColumnReader.BYTES;
            default -> ColumnReader.STRING;
        };
    }

    /**
     * The reader for CSV, where only the text of a value matters: integers, decimals, dates and
     * date-times are taken as the server's text, whose form already is (or is a few characters
     * from) the one {@code format.Values} writes, skipping a parse into objects and a format back
     * to text; every other type is read as {@link #reader} reads it.
     */
    static ColumnReader csvReader(String dataType, String columnType) {
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "year", "int", "integer", "bigint", "decimal", "numeric", "date" ->
                    ColumnReader.STRING;
            case "datetime" -> (rs, i) -> dateTimeText(rs.getString(i), false);
            case "timestamp" -> (rs, i) -> dateTimeText(rs.getString(i), true);
            default -> reader(dataType, columnType);
        };
    }

    /**
     * How the byte-level path ({@link TextRecords}) writes the server's text of a column, as
     * {@link #csvReader} (CSV) or {@link #reader} (JSON lines) and {@code format} would: the same split of types.
     */
    static TextRecords.Kind textKind(String dataType, String columnType) {
        boolean fixed = columnType.contains(",");
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "year", "int", "integer", "bigint" -> TextRecords.Kind.INTEGER;
            case "decimal", "numeric" -> TextRecords.Kind.DECIMAL;
            case "date" -> TextRecords.Kind.DATE;
            case "float" -> TextRecords.Kind.FLOAT;
            case "double", "real" -> fixed ? TextRecords.Kind.DOUBLE_FIXED : TextRecords.Kind.DOUBLE;
            case "bit" -> TextRecords.Kind.BIT;
            case "datetime" -> TextRecords.Kind.DATETIME;
            case "timestamp" -> TextRecords.Kind.TIMESTAMP;
            case "time" -> TextRecords.Kind.TIME;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring",
                    "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection" -> TextRecords.Kind.BINARY;
            default -> TextRecords.Kind.TEXT;
        };
    }

    /** The width of a BIT(n) column, 1 for BIT. */
    static int bitWidth(String columnType) {
        Matcher m = BITS.matcher(columnType);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    /**
     * {@code YYYY-MM-DD HH:MM:SS[.f]} as {@code format.Values} writes the date-time (or, with
     * {@code utc}, the instant) it is: {@code YYYY-MM-DDTHH:MM:SS.ffffff[Z]}; a zero or invalid
     * value stays as the server wrote it.
     */
    static String dateTimeText(String s, boolean utc) {
        if (!(dateTime(s) instanceof LocalDateTime)) {
            return s;
        }
        char[] c = new char[utc ? 27 : 26];
        s.getChars(0, 10, c, 0);
        c[10] = 'T';
        s.getChars(11, 19, c, 11);
        c[19] = '.';
        int digits = Math.min(6, Math.max(0, s.length() - 20));
        if (digits > 0) {
            s.getChars(20, 20 + digits, c, 20);
        }
        Arrays.fill(c, 20 + digits, 26, '0');
        if (utc) {
            c[26] = 'Z';
        }
        return new String(c);
    }

    private static ColumnReader bits(String columnType) {
        int width = bitWidth(columnType);
        return (rs, i) -> {
            byte[] b = rs.getBytes(i);
            if (b == null) {
                return null;
            }
            BigInteger v = new BigInteger(1, b);
            if (width == 1) {
                return v.signum() != 0;
            }
            String s = v.toString(2);
            return "0".repeat(Math.max(0, width - s.length())) + s;
        };
    }

    /** {@code YYYY-MM-DD}; a zero or invalid date stays as the server wrote it. */
    static Object date(String s) {
        if (s == null) {
            return null;
        }
        try {
            return s.length() == 10 ? LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10)) : s;
        } catch (DateTimeException | NumberFormatException e) {
            return s;
        }
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.ffffff]}; a zero or invalid value stays as the server wrote it. */
    static Object dateTime(String s) {
        if (s == null) {
            return null;
        }
        try {
            if (s.length() < 19 || s.charAt(10) != ' ') {
                return s;
            }
            int nanos = 0;
            if (s.length() > 20) {
                int fraction = digits(s, 20, s.length());
                for (int i = s.length() - 20; i < 9; i++) {
                    fraction *= 10;
                }
                nanos = fraction;
            }
            return LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10), digits(s, 11, 13),
                    digits(s, 14, 16), digits(s, 17, 19), nanos);
        } catch (DateTimeException | NumberFormatException e) {
            return s;
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException(s);
            }
            v = v * 10 + d;
        }
        return v;
    }

    static Object time(String s) {
        if (s == null) {
            return null;
        }
        if (s.length() >= 8 && s.charAt(2) == ':' && !s.startsWith("-")) {
            try {
                return LocalTime.parse(s);
            } catch (DateTimeParseException e) {
                return s; // 24:00:00 and beyond: a duration, not a time of day
            }
        }
        return s;
    }
}
