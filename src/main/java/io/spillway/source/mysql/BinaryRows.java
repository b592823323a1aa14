package io.spillway.source.mysql;

import io.spillway.source.jdbc.ShortestDecimal;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Writes rows of MariaDB's binary protocol (the result of a server-side prepared statement) through
 * {@link TextRecords}, each value first made the text the text protocol would have sent for it, so both
 * protocols write the same files byte for byte. The server then sends integers, doubles, dates and
 * date-times as they are stored instead of formatting them: on the benchmark's table (a bigint, a
 * 32-character string, a double, an int, a date) its time for 5M rows fell from 4.2 to 1.5 s, 2.7 s of
 * which was its text of the doubles.
 *
 * <p>Only the types of {@link #wire} come this way; a table with any other column (FLOAT, a DOUBLE with
 * fixed decimals, TIME, YEAR, ZEROFILL integers, geometry, UUID, ...) is read in the text protocol. A
 * double's text is its shortest digits that read back as the same value, the closest of those, as the
 * server's {@code dtoa} writes them ({@link ShortestDecimal}, halfway decimals taken), given to TextRecords as
 * {@code DIGITSEexponent}. Not thread safe.
 */
final class BinaryRows {
    /** How a column's value is sent in a binary row. */
    enum Wire { TINY, SHORT, INT, LONG, DOUBLE, STRING, DATE, DATETIME }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int NULL = 0xfb;

    private final Wire[] wires;
    private final boolean[] unsigned;
    /** Per date-time column, the digits of its fraction of a second (its type's fsp). */
    private final int[] fsp;
    private final TextRecords out;
    /** The text of one fixed-size value. */
    private final byte[] text = new byte[40];
    private final ShortestDecimal decimal = new ShortestDecimal();

    /**
     * Columns by {@link #wire}, as {@link #sentAs} found them in the prepared statement's metadata {@code md},
     * which gives their signedness and fractions of a second.
     */
    BinaryRows(Wire[] wires, ResultSetMetaData md, TextRecords out) throws SQLException {
        this.wires = wires.clone();
        this.out = out;
        unsigned = new boolean[wires.length];
        fsp = new int[wires.length];
        for (int i = 0; i < wires.length; i++) {
            unsigned[i] = !md.isSigned(i + 1);
            fsp[i] = wires[i] == Wire.DATETIME ? Math.min(6, Math.max(0, md.getScale(i + 1))) : 0;
        }
    }

    /**
     * Whether the server will send the columns of a prepared statement ({@code md}, from its PREPARE) as
     * {@code wires} says, information_schema's types read by {@link #wire}: the rows are read only where the
     * two agree (a view's expression, a table altered since it was listed, would otherwise be misread).
     */
    static boolean sentAs(Wire[] wires, ResultSetMetaData md) throws SQLException {
        if (md == null || md.getColumnCount() != wires.length) {
            return false;
        }
        for (int i = 0; i < wires.length; i++) {
            String name = md.getColumnTypeName(i + 1).toUpperCase(Locale.ROOT).replace(" UNSIGNED", "")
                    .replace(" ZEROFILL", "").trim();
            Wire sent = switch (name) {
                case "TINYINT", "BOOLEAN" -> Wire.TINY;
                case "SMALLINT" -> Wire.SHORT;
                case "MEDIUMINT", "INTEGER", "INT" -> Wire.INT;
                case "BIGINT" -> Wire.LONG;
                case "DOUBLE" -> md.getScale(i + 1) >= NOT_FIXED_DECIMALS ? Wire.DOUBLE : null;
                case "DATE" -> Wire.DATE;
                case "DATETIME", "TIMESTAMP" -> Wire.DATETIME;
                case "FLOAT", "TIME", "YEAR", "NULL", "GEOMETRY" -> null;
                default -> Wire.STRING;
            };
            if (sent != wires[i]) {
                return false;
            }
        }
        return true;
    }

    /** The decimals the server gives a DOUBLE declared without them (its NOT_FIXED_DEC). */
    private static final int NOT_FIXED_DECIMALS = 31;

    /**
     * How a column of this type comes in a binary row, or null if it is not read so: every type whose
     * text this class makes as the server does, and strings, which both protocols send alike.
     */
    static Wire wire(String dataType, String columnType) {
        if (columnType.contains("zerofill")) {
            return null; // the text protocol pads it with zeros
        }
        return switch (dataType) {
            case "tinyint" -> Wire.TINY;
            case "smallint" -> Wire.SHORT;
            case "mediumint", "int", "integer" -> Wire.INT;
            case "bigint" -> Wire.LONG;
            case "double", "real" -> columnType.contains(",") ? null : Wire.DOUBLE; // DOUBLE(10,2): fixed decimals
            case "date" -> Wire.DATE;
            case "datetime", "timestamp" -> Wire.DATETIME;
            case "decimal", "numeric", "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set",
                    "json", "bit", "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Wire.STRING;
            default -> null;
        };
    }

    /** Writes one row: the payload of a binary-protocol row packet from {@code from} to {@code to}. */
    void row(byte[] b, int from, int to) throws IOException {
        int n = wires.length;
        int nulls = from + 1;
        int p = nulls + (n + 9) / 8;
        if (to - from < 1 || b[from] != 0 || p > to) {
            throw new IOException("a row from the server is not a binary-protocol row of " + n + " columns");
        }
        int start = out.beginRow();
        for (int i = 0; i < n; i++) {
            int bit = i + 2; // the first two bits of the map are reserved
            if ((b[nulls + (bit >> 3)] & (1 << (bit & 7))) != 0) {
                out.nullField(i);
                continue;
            }
            int size = switch (wires[i]) {
                case TINY -> 1;
                case SHORT -> 2;
                case INT -> 4;
                case LONG, DOUBLE -> 8;
                case STRING, DATE, DATETIME -> -1;
            };
            if (size > 0 && p + size > to) {
                throw new IOException("a value from the server runs past the end of its row (column " + (i + 1) + ")");
            }
            switch (wires[i]) {
                case TINY -> integer(i, unsigned[i] ? b[p] & 0xff : b[p]);
                case SHORT -> {
                    int v = (b[p] & 0xff) | b[p + 1] << 8;
                    integer(i, unsigned[i] ? v & 0xffff : (short) v);
                }
                case INT -> {
                    int v = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | b[p + 3] << 24;
                    integer(i, unsigned[i] ? v & 0xffffffffL : v);
                }
                case LONG -> {
                    long v = (long) LONGS.get(b, p);
                    if (unsigned[i] && v < 0) {
                        ascii(i, Long.toUnsignedString(v));
                    } else {
                        integer(i, v);
                    }
                }
                case DOUBLE -> real(i, Double.longBitsToDouble((long) LONGS.get(b, p)));
                case STRING -> p = string(i, b, p, to);
                case DATE, DATETIME -> p = dateTime(i, b, p, to);
            }
            if (size > 0) {
                p += size;
            }
        }
        if (p != to) {
            throw new IOException("a row from the server has more than its " + n + " columns");
        }
        out.endRow(start);
    }

    /** A length-encoded string, handed over as it is; returns where the next value starts. */
    private int string(int i, byte[] b, int p, int to) throws IOException {
        if (p >= to) {
            throw new IOException("a row from the server ended before its column " + (i + 1) + " of " + wires.length);
        }
        int first = b[p] & 0xff;
        if (first == NULL || first == 0xff) {
            throw new IOException("a value from the server has no length (column " + (i + 1) + ")");
        }
        long size = TextBytes.length(b, p);
        p += TextBytes.lengthSize(first);
        if (size < 0 || size > to - p) {
            throw new IOException("a value from the server runs past the end of its row (column " + (i + 1) + ")");
        }
        out.field(i, b, p, (int) size);
        return p + (int) size;
    }

    /**
     * A date ({@code YYYY-MM-DD}) or date-time from its length and the parts it has (none for a zero date): a valid
     * date-time in its ISO form, others as the server writes them ({@code YYYY-MM-DD HH:MM:SS} and the fsp digits of
     * the fraction); returns where the next value starts.
     */
    private int dateTime(int i, byte[] b, int p, int to) throws IOException {
        if (p >= to) {
            throw new IOException("a row from the server ended before its column " + (i + 1) + " of " + wires.length);
        }
        int length = b[p] & 0xff;
        if (length != 0 && length != 4 && length != 7 && length != 11 || p + 1 + length > to) {
            throw new IOException("a date from the server has a length of " + length + " (column " + (i + 1) + ")");
        }
        int q = p + 1;
        int year = length == 0 ? 0 : (b[q] & 0xff) | (b[q + 1] & 0xff) << 8;
        if (wires[i] == Wire.DATETIME && validDateTime(b, q, length, year)) {
            text(i, b, q, length, year, 'T', 6);
            out.isoDateTime(i, text, 0);
        } else {
            out.field(i, text, 0, text(i, b, q, length, year, ' ', fsp[i]));
        }
        return q + length;
    }

    /** Whether the date-time of {@code length} bytes at {@code q} is a real one: not a zero date, nor a zero month or day. */
    private static boolean validDateTime(byte[] b, int q, int length, int year) {
        if (length == 0) {
            return false;
        }
        int month = b[q + 2];
        int day = b[q + 3];
        return month >= 1 && month <= 12 && day >= 1 && day <= TextBytes.days(year, month) && year <= 9999
                && (length == 4 || (b[q + 4] & 0xff) < 24 && (b[q + 5] & 0xff) < 60 && (b[q + 6] & 0xff) < 60);
    }

    /**
     * The text of the date or date-time of {@code length} bytes at {@code q} (none: a zero date) in {@link #text}:
     * {@code YYYY-MM-DD}, and for a date-time {@code sep}, {@code HH:MM:SS} and, unless {@code width} is 0, '.' and
     * its fraction in {@code width} digits (its fsp digits, zeros after); returns its length.
     */
    private int text(int i, byte[] b, int q, int length, int year, char sep, int width) {
        int n = digits(year, 4, 0);
        text[n++] = '-';
        n = digits(length == 0 ? 0 : b[q + 2], 2, n);
        text[n++] = '-';
        n = digits(length == 0 ? 0 : b[q + 3], 2, n);
        if (wires[i] == Wire.DATETIME) {
            text[n++] = (byte) sep;
            n = digits(length >= 7 ? b[q + 4] : 0, 2, n);
            text[n++] = ':';
            n = digits(length >= 7 ? b[q + 5] : 0, 2, n);
            text[n++] = ':';
            n = digits(length >= 7 ? b[q + 6] : 0, 2, n);
            if (width > 0) {
                int micros = length == 11
                        ? (b[q + 7] & 0xff) | (b[q + 8] & 0xff) << 8 | (b[q + 9] & 0xff) << 16 | (b[q + 10] & 0xff) << 24 : 0;
                int kept = fsp[i] == 0 ? 0 : micros / POWERS[6 - fsp[i]]; // the fsp digits the server's text has
                text[n++] = '.';
                n = digits(width == fsp[i] ? kept : kept * POWERS[width - fsp[i]], width, n);
            }
        }
        return n;
    }

    private static final int[] POWERS = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000};

    /** Writes {@code v} (not negative) in {@code width} digits, zeros first, at {@code n}; returns the end. */
    private int digits(int v, int width, int n) {
        for (int k = n + width - 1; k >= n; k--) {
            text[k] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return n + width;
    }

    private void integer(int i, long v) {
        int n = text.length;
        long x = v;
        do {
            text[--n] = (byte) ('0' + Math.abs(x % 10));
            x /= 10;
        } while (x != 0);
        if (v < 0) {
            text[--n] = '-';
        }
        out.field(i, text, n, text.length - n);
    }

    private void ascii(int i, String s) {
        int n = s.length();
        for (int k = 0; k < n; k++) {
            text[k] = (byte) s.charAt(k);
        }
        out.field(i, text, 0, n);
    }

    /**
     * A double as its shortest digits and their power of ten, {@code [-]DIGITSE[-]N}, which TextRecords lays out
     * as Java does; zero is {@code 0E0}.
     */
    private void real(int i, double x) {
        if (!Double.isFinite(x)) {
            ascii(i, Double.toString(x)); // the server stores none; TextRecords reads Java's words
            return;
        }
        int n = 0;
        if (Double.doubleToRawLongBits(x) < 0) {
            text[n++] = '-';
        }
        long digits = 0;
        int exponent = 0;
        if (x != 0) {
            decimal.set(x, true);
            digits = decimal.digits();
            exponent = decimal.exponent();
        }
        int length = ShortestDecimal.length(Math.max(digits, 1));
        ShortestDecimal.digits(digits, length, text, n);
        n += length;
        text[n++] = 'E';
        if (exponent < 0) {
            text[n++] = '-';
            exponent = -exponent;
        }
        int e = ShortestDecimal.length(Math.max(exponent, 1));
        ShortestDecimal.digits(exponent, e, text, n);
        out.field(i, text, 0, n + e);
    }
}
