package io.spillway.source.mysql;

import io.spillway.source.jdbc.RecordBatch;
import io.spillway.spi.RecordSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes rows of MySQL's text protocol (each field a length-prefixed string of the server's text,
 * or NULL) as the CSV or JSON lines that the typed path writes ({@code format.CsvRows},
 * {@code format.JsonlRows}), byte for byte, without making a Java value of any field: integers, decimals and dates as the server wrote them, date-times and times in the
 * ISO forms of {@link MySqlColumns#dateTimeText} and {@code format.Values}, doubles and floats
 * moved into Java's {@code Double.toString} layout, binary strings as base64, BIT as
 * {@code true}/{@code false} or a string of '0'/'1', text as it is (after the UTF-8 check below).
 *
 * <p>Fields are quoted as FastCSV quotes them in {@code format.CsvRows}: an empty string (NULL is
 * nothing between the commas), one holding a comma, a double quote, CR or LF, and the first field
 * of a record when it starts with '#'. Text that is not valid UTF-8 is decoded and encoded as
 * {@code ResultSet.getString} and the CSV writer would, each bad sequence becoming U+FFFD.
 *
 * <p>Doubles: the server sends the shortest digits that read back as the stored value, and Java 17's
 * {@code Double.toString} sends the same digits but for rare values where it writes one or two more
 * (JDK-4511638): there the text differs and the value is the same. A column with fixed decimals
 * ({@code DOUBLE(10,2)}), whose text is not the shortest, is parsed and formatted as the typed path
 * does, and so is a FLOAT: the server sends six significant digits of it, which read back as the
 * same float but not always as the same double as Java's digits of that float. Not thread safe.
 */
final class TextRecords extends RecordBatch {
    /** How a column's text becomes its field (INTEGER, DECIMAL and DATE differ only in JSON lines). */
    enum Kind { INTEGER, DECIMAL, DATE, TEXT, DOUBLE, DOUBLE_FIXED, FLOAT, DATETIME, TIMESTAMP, TIME, BINARY, BIT }

    private static final byte[] BASE64 = bytes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    private static final byte[] NULL_JSON = bytes("null");
    private static final byte[] HEX = bytes("0123456789ABCDEF");
    /** 2^53 - 1, the largest integer JSON lines writes as a number ({@code format.JsonlRows}). */
    private static final byte[] MAX_SAFE = bytes("9007199254740991");
    private static final int NULL = 0xfb;

    private final Kind[] kinds;
    /** JSON lines, else CSV; for JSON, per column, {@code {"name":} or {@code ,"name":}. */
    private final boolean json;
    private final byte[][] keys;
    /** Per column, the width of a BIT(n) (n = 1 is written as a boolean). */
    private final int[] bits;
    private final byte[] digits = new byte[24];

    /** {@code bits[i]} is the width of column i if it is a BIT. Sets the CSV header at once (JSON lines have none). */
    TextRecords(List<String> names, List<Kind> kinds, int[] bits, boolean json, RecordSink out) {
        super(out);
        this.kinds = kinds.toArray(Kind[]::new);
        this.bits = bits.clone();
        this.json = json;
        this.keys = new byte[names.size()][];
        if (json) {
            for (int i = 0; i < names.size(); i++) {
                put((byte) (i == 0 ? '{' : ','));
                byte[] name = bytes(names.get(i));
                jsonString(name, 0, name.length);
                put((byte) ':');
                keys[i] = take();
            }
            begin(null);
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                put((byte) ',');
            }
            byte[] name = bytes(names.get(i));
            text(name, 0, name.length, i == 0);
        }
        put((byte) '\n');
        begin(take());
    }

    /**
     * Writes one row: the payload of a text-protocol row packet from {@code from} to {@code to}, one
     * length-encoded string or NULL (0xfb) per column.
     */
    void row(byte[] b, int from, int to) throws IOException {
        int start = len;
        int p = from;
        for (int i = 0; i < kinds.length; i++) {
            separator(i);
            if (p >= to) {
                throw new IOException("a row from the server ended before its column " + (i + 1) + " of " + kinds.length);
            }
            int first = b[p] & 0xff;
            if (first == NULL) {
                p++;
                if (json) {
                    put(NULL_JSON);
                }
                continue; // in CSV nothing between the commas
            }
            long size = TextBytes.length(b, p);
            p += TextBytes.lengthSize(first);
            if (size < 0 || size > to - p) {
                throw new IOException("a value from the server runs past the end of its row (column " + (i + 1) + ")");
            }
            value(i, b, p, (int) size);
            p += (int) size;
        }
        if (p != to) {
            throw new IOException("a row from the server has more than its " + kinds.length + " columns");
        }
        endRow(start);
    }

    /** Where the next row starts, for {@link #endRow}: a row given field by field (see {@link BinaryRows}). */
    int beginRow() {
        return len;
    }

    /** Column {@code i}'s field, from the text the text protocol sends for it. */
    void field(int i, byte[] b, int p, int size) {
        separator(i);
        value(i, b, p, size);
    }

    /**
     * Column {@code i}'s date-time, known valid, given as {@code YYYY-MM-DDTHH:MM:SS.ffffff} (26 bytes at {@code p}):
     * written as {@link #field} writes a valid one from the server's text (with 'Z' for a TIMESTAMP, quoted in JSON
     * lines), without reading that text back. For DATETIME and TIMESTAMP columns only.
     */
    void isoDateTime(int i, byte[] b, int p) {
        separator(i);
        ensure(29);
        if (json) {
            buf[len++] = '"';
        }
        System.arraycopy(b, p, buf, len, 26);
        len += 26;
        if (kinds[i] == Kind.TIMESTAMP) {
            buf[len++] = 'Z';
        }
        if (json) {
            buf[len++] = '"';
        }
    }

    /** Column {@code i}'s field when it is NULL. */
    void nullField(int i) {
        separator(i);
        if (json) {
            put(NULL_JSON);
        }
    }

    private void separator(int i) {
        if (json) {
            put(keys[i]);
        } else if (i > 0) {
            put((byte) ',');
        }
    }

    /** Ends the row begun at {@code start}, handing rows to the writer where a batch is full or a file ends. */
    void endRow(int start) throws IOException {
        if (json) {
            put((byte) '}');
        }
        endLine(start);
    }

    private void value(int column, byte[] b, int p, int size) {
        if (json) {
            jsonValue(column, b, p, size);
            return;
        }
        switch (kinds[column]) {
            case INTEGER, DECIMAL, DATE -> put(b, p, size);
            case TEXT -> text(b, p, size, column == 0);
            case DOUBLE -> real(b, p, size, false, 17);
            case DOUBLE_FIXED -> real(b, p, size, false, 0);
            case FLOAT -> real(b, p, size, true, 0);
            case DATETIME -> dateTime(b, p, size, false, column == 0);
            case TIMESTAMP -> dateTime(b, p, size, true, column == 0);
            case TIME -> time(b, p, size, column == 0);
            case BINARY -> base64(b, p, size);
            case BIT -> bits(b, p, size, bits[column]);
            default -> throw new IllegalStateException(kinds[column].toString());
        }
    }

    /**
     * A value as {@code format.JsonlRows} writes the typed path's: integers and decimals of up to 15
     * digits as numbers, longer ones as strings of their digits (ZEROFILL's leading zeros dropped, as
     * parsing them drops them); doubles and floats as numbers in {@link #real}'s form; BIT(1) as
     * {@code true}/{@code false}; everything else as a string of its CSV text, escaped as Jackson escapes.
     */
    private void jsonValue(int column, byte[] b, int p, int size) {
        switch (kinds[column]) {
            case INTEGER -> integer(b, p, size);
            case DECIMAL -> decimal(b, p, size);
            case DOUBLE -> real(b, p, size, false, 17);
            case DOUBLE_FIXED -> real(b, p, size, false, 0);
            case FLOAT -> real(b, p, size, true, 0);
            case BIT -> {
                if (bits[column] == 1) {
                    bits(b, p, size, 1);
                } else {
                    put((byte) '"');
                    bits(b, p, size, bits[column]);
                    put((byte) '"');
                }
            }
            case DATETIME, TIMESTAMP -> {
                if (TextBytes.validDateTime(b, p, size)) {
                    put((byte) '"');
                    dateTime(b, p, size, kinds[column] == Kind.TIMESTAMP, false);
                    put((byte) '"');
                } else {
                    jsonString(b, p, size);
                }
            }
            case TIME -> {
                if (TextBytes.timeOfDay(b, p, size)) {
                    put((byte) '"');
                    time(b, p, size, false);
                    put((byte) '"');
                } else {
                    jsonString(b, p, size);
                }
            }
            case BINARY -> {
                put((byte) '"');
                if (size > 0) {
                    base64(b, p, size);
                }
                put((byte) '"');
            }
            default -> jsonString(b, p, size); // DATE, TEXT: as the server wrote them
        }
    }

    /** An integer as a number, or beyond 2^53 - 1 as a string of its digits; leading zeros dropped. */
    private void integer(byte[] b, int p, int size) {
        int end = p + size;
        boolean negative = size > 0 && b[p] == '-';
        int i = negative ? p + 1 : p;
        while (i < end - 1 && b[i] == '0') {
            i++;
        }
        int digits = end - i;
        boolean safe = digits < MAX_SAFE.length
                || digits == MAX_SAFE.length && Arrays.compare(b, i, end, MAX_SAFE, 0, MAX_SAFE.length) <= 0;
        if (!safe) {
            put((byte) '"');
        }
        if (negative) {
            put((byte) '-');
        }
        put(b, i, digits);
        if (!safe) {
            put((byte) '"');
        }
    }

    /** A decimal as a number when its unscaled value has at most 15 digits, else as a string; leading zeros dropped. */
    private void decimal(byte[] b, int p, int size) {
        int end = p + size;
        boolean negative = size > 0 && b[p] == '-';
        int i = negative ? p + 1 : p;
        while (i < end - 1 && b[i] == '0' && b[i + 1] != '.') {
            i++;
        }
        int significant = 0;
        boolean leading = true;
        boolean zero = true;
        for (int k = i; k < end; k++) {
            if (b[k] >= '1' && b[k] <= '9' || b[k] == '0' && !leading) {
                significant++;
                leading = false;
                zero &= b[k] == '0';
            }
        }
        boolean number = Math.max(1, significant) <= 15;
        if (!number) {
            put((byte) '"');
        }
        if (negative && !zero) {
            put((byte) '-');
        }
        put(b, i, end - i);
        if (!number) {
            put((byte) '"');
        }
    }

    /**
     * A JSON string as Jackson writes it: '"' and '\\' escaped, control characters as {@code \b \t \n
     * \f \r} or a backslash-u escape (four uppercase hex digits), characters beyond U+FFFF as two such
     * escapes of their surrogates, the rest as UTF-8;
     * text that is not valid UTF-8 first replaced as a Java string would.
     */
    private void jsonString(byte[] b, int p, int size) {
        if ((TextBytes.scan(b, p, p + size) & 2) != 0 && !TextBytes.validUtf8(b, p, p + size)) {
            byte[] t = new String(b, p, size, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            jsonString(t, 0, t.length);
            return;
        }
        ensure(6 * size + 2);
        buf[len++] = '"';
        int end = p + size;
        for (int i = p; i < end; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0xf0) {
                buf[len++] = (byte) c;
            } else if (c >= 0xf0) { // a code point beyond U+FFFF, four bytes
                int cp = (c & 0x07) << 18 | (b[i + 1] & 0x3f) << 12 | (b[i + 2] & 0x3f) << 6 | (b[i + 3] & 0x3f);
                escape(Character.highSurrogate(cp));
                escape(Character.lowSurrogate(cp));
                i += 3;
            } else if (c == '"' || c == '\\') {
                buf[len++] = '\\';
                buf[len++] = (byte) c;
            } else {
                byte e = switch (c) {
                    case '\b' -> 'b';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\f' -> 'f';
                    case '\r' -> 'r';
                    default -> 0;
                };
                if (e != 0) {
                    buf[len++] = '\\';
                    buf[len++] = e;
                } else {
                    escape((char) c);
                }
            }
        }
        buf[len++] = '"';
    }

    private void escape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[c >> 12 & 15];
        buf[len++] = HEX[c >> 8 & 15];
        buf[len++] = HEX[c >> 4 & 15];
        buf[len++] = HEX[c & 15];
    }

    /** Text, quoted when FastCSV would quote it; what is not valid UTF-8 is replaced as a String would. */
    private void text(byte[] b, int p, int size, boolean first) {
        int scan = TextBytes.scan(b, p, p + size);
        if ((scan & 2) != 0 && !TextBytes.validUtf8(b, p, p + size)) {
            byte[] t = new String(b, p, size, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            text(t, 0, t.length, first);
            return;
        }
        if (size > 0 && (scan & 1) == 0 && !(first && b[p] == '#')) {
            put(b, p, size);
            return;
        }
        ensure(2 * size + 2);
        buf[len++] = '"';
        for (int i = p; i < p + size; i++) {
            if (b[i] == '"') {
                buf[len++] = '"';
            }
            buf[len++] = b[i];
        }
        buf[len++] = '"';
    }

    /**
     * A double or float in {@code Double.toString}'s layout: plain from 10^-3 up to 10^7 (at least one
     * digit after the point), else {@code d.dddE±n}. The server's digits are kept when they are at most
     * {@code maxDigits} (its shortest form); otherwise, and for text this does not read, the value is
     * parsed and formatted as the typed path does.
     */
    private void real(byte[] b, int p, int size, boolean isFloat, int maxDigits) {
        int end = p + size;
        int i = p;
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        int n = 0;
        int pointAt = -1;
        int exponent = 0;
        boolean any = false;
        boolean exact = true;
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                any = true;
                if (n == 0 && c == '0') {
                    if (pointAt >= 0) {
                        exponent--; // a leading zero after the point
                    }
                } else if (n < digits.length) {
                    digits[n++] = c;
                    if (pointAt < 0) {
                        exponent++;
                    }
                } else {
                    exact = false;
                }
            } else if (c == '.' && pointAt < 0) {
                pointAt = i;
            } else {
                break;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean minus = i < end && b[i] == '-';
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                i++;
            }
            int e = 0;
            int from = i;
            for (; i < end && b[i] >= '0' && b[i] <= '9' && e < 100_000; i++) {
                e = e * 10 + b[i] - '0';
            }
            exact &= i > from;
            exponent += minus ? -e : e;
        }
        while (n > 0 && digits[n - 1] == '0') {
            n--;
        }
        if (!any || i != end || !exact || n > maxDigits) {
            String t = new String(b, p, size, StandardCharsets.ISO_8859_1);
            put(bytes(isFloat ? Float.toString(Float.parseFloat(t)) : Double.toString(Double.parseDouble(t))));
            return;
        }
        ensure(n + 32);
        if (negative) {
            buf[len++] = '-';
        }
        if (n == 0) {
            put(bytes("0.0"));
            return;
        }
        int x = exponent - 1; // value = d.ddd x 10^x
        if (x >= -3 && x < 7) {
            if (x >= 0) {
                for (int k = 0; k <= x; k++) {
                    buf[len++] = k < n ? digits[k] : (byte) '0';
                }
                buf[len++] = '.';
                if (n > x + 1) {
                    System.arraycopy(digits, x + 1, buf, len, n - x - 1);
                    len += n - x - 1;
                } else {
                    buf[len++] = '0';
                }
            } else {
                buf[len++] = '0';
                buf[len++] = '.';
                for (int k = -1; k > x; k--) {
                    buf[len++] = '0';
                }
                System.arraycopy(digits, 0, buf, len, n);
                len += n;
            }
        } else {
            buf[len++] = digits[0];
            buf[len++] = '.';
            if (n > 1) {
                System.arraycopy(digits, 1, buf, len, n - 1);
                len += n - 1;
            } else {
                buf[len++] = '0';
            }
            buf[len++] = 'E';
            put(bytes(Integer.toString(x)));
        }
    }

    /**
     * {@code YYYY-MM-DD HH:MM:SS[.f]} as {@code YYYY-MM-DDTHH:MM:SS.ffffff[Z]}, where {@link MySqlColumns#dateTime}
     * reads it as a date-time; a zero or invalid value as the server wrote it.
     */
    private void dateTime(byte[] b, int p, int size, boolean zone, boolean first) {
        if (!TextBytes.validDateTime(b, p, size)) {
            text(b, p, size, first);
            return;
        }
        ensure(27);
        System.arraycopy(b, p, buf, len, 10);
        buf[len + 10] = 'T';
        System.arraycopy(b, p + 11, buf, len + 11, 8);
        len += 19;
        fraction(b, p + 20, Math.min(6, Math.max(0, size - 20)));
        if (zone) {
            buf[len++] = 'Z';
        }
    }

    /** '.' and {@code n} digits from {@code b[p]}, padded with zeros to six. */
    private void fraction(byte[] b, int p, int n) {
        buf[len++] = '.';
        if (n > 0) { // p may be past the end of a value that has no fraction
            System.arraycopy(b, p, buf, len, n);
            len += n;
        }
        for (int k = n; k < 6; k++) {
            buf[len++] = '0';
        }
    }

    /** {@code HH:MM:SS[.f]} of a time of day as {@code HH:MM:SS.ffffff}; other times (negative, 24 hours or more) as written. */
    private void time(byte[] b, int p, int size, boolean first) {
        if (!TextBytes.timeOfDay(b, p, size)) {
            text(b, p, size, first);
            return;
        }
        ensure(15);
        System.arraycopy(b, p, buf, len, 8);
        len += 8;
        fraction(b, p + 9, size > 8 ? Math.min(6, size - 9) : 0);
    }

    /** Base64 with padding, as {@code format.Values} writes bytes; no bytes are written as {@code ""}. */
    private void base64(byte[] b, int p, int size) {
        if (size == 0) {
            put((byte) '"');
            put((byte) '"');
            return;
        }
        ensure((size + 2) / 3 * 4);
        int end = p + size - size % 3;
        for (int i = p; i < end; i += 3) {
            int v = (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
            buf[len++] = BASE64[v >>> 18];
            buf[len++] = BASE64[(v >>> 12) & 63];
            buf[len++] = BASE64[(v >>> 6) & 63];
            buf[len++] = BASE64[v & 63];
        }
        int rest = size % 3;
        if (rest > 0) {
            int v = (b[end] & 0xff) << 16 | (rest == 2 ? (b[end + 1] & 0xff) << 8 : 0);
            buf[len++] = BASE64[v >>> 18];
            buf[len++] = BASE64[(v >>> 12) & 63];
            buf[len++] = rest == 2 ? BASE64[(v >>> 6) & 63] : (byte) '=';
            buf[len++] = '=';
        }
    }

    /** BIT(1) as {@code true}/{@code false}; BIT(n) as its n lowest bits, '0' or '1', highest first. */
    private void bits(byte[] b, int p, int size, int width) {
        if (width == 1) {
            boolean set = false;
            for (int i = p; i < p + size; i++) {
                set |= b[i] != 0;
            }
            put(set ? TRUE : FALSE);
            return;
        }
        ensure(width);
        for (int k = width - 1; k >= 0; k--) {
            int at = p + size - 1 - k / 8;
            buf[len++] = at >= p && (b[at] >> (k % 8) & 1) != 0 ? (byte) '1' : (byte) '0';
        }
    }
}
