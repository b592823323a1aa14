package io.spillway.source.postgres;

import io.spillway.source.jdbc.RecordBatch;
import io.spillway.source.jdbc.ShortestDecimal;
import io.spillway.spi.RecordSink;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Writes the rows of a {@code COPY ... TO STDOUT (FORMAT binary)} as the CSV that
 * {@code COPY ... (FORMAT csv, HEADER)} followed by {@link CsvRewriter} writes, byte for byte, for
 * the column types in {@link Kind}: integers, doubles ({@link Float8Text}), booleans, text, json, jsonb,
 * enums, bytea (as base64), numerics, dates, times, timestamps and uuids. The server then sends each value as
 * it stores it instead of formatting it as text, which costs it 40% less on a table of numbers, text and timestamps; the
 * client formats the few types here itself.
 *
 * <p>Text is quoted as PostgreSQL quotes it: when it is empty (the empty string is not NULL) or
 * holds a comma, a double quote, CR or LF, or is {@code \.} alone in a one-column table. Numerics
 * are written as PostgreSQL writes them (every digit of the scale), dates and timestamps of years 1
 * to 9999 in the ISO forms of docs/sources.md, other years and infinities in PostgreSQL's own text.
 */
final class BinaryCsv extends RecordBatch implements CopyTap.Rows {
    /** The column types written here; a table with any other goes through the text COPY. */
    enum Kind { INT2, INT4, INT8, FLOAT8, BOOL, TEXT, JSONB, BYTEA, NUMERIC, DATE, TIMESTAMP, TIMESTAMPTZ, TIME, UUID }

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_MINUTE = 60_000_000L;
    /** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
    private static final int PG_EPOCH_DAY = 10_957;
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    private static final byte[] HEX = bytes("0123456789abcdef");
    private static final byte[] NAN = bytes("NaN");
    private static final byte[] PLUS_INFINITY = bytes("Infinity");
    private static final byte[] MINUS_INFINITY = bytes("-Infinity");
    private static final byte[] INFINITE = bytes("infinity");
    private static final byte[] MINUS_INFINITE = bytes("-infinity");
    private static final byte[] UTC = bytes("+00");
    private static final byte[] Z = bytes("Z");
    private static final byte[] BC = bytes(" BC");
    private static final byte[] LONG_MIN = bytes(Long.toString(Long.MIN_VALUE));
    /** "00" to "99": the two digits of each number below 100. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private final Kind[] kinds;
    private final Float8Text doubles = new Float8Text();
    private final byte[] header;
    private boolean started;
    /**
     * Per column, the day (dates) or minute (timestamps) it last wrote with a year of 1 to 9999,
     * counted from 2000-01-01, and its text: {@code YYYY-MM-DD} or {@code YYYY-MM-DDTHH:MM}.
     * Values that follow each other in a column mostly fall on the same day, often in the same minute.
     */
    private final long[] lastKey;
    private final byte[][] lastText;

    /** For columns that all have a {@link PgColumn#binary() kind}. */
    BinaryCsv(List<PgColumn> columns, RecordSink out) {
        super(out);
        this.kinds = columns.stream().map(PgColumn::binary).toArray(Kind[]::new);
        this.lastKey = new long[kinds.length];
        Arrays.fill(lastKey, Long.MIN_VALUE);
        this.lastText = new byte[kinds.length][16];
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                put((byte) ',');
            }
            byte[] name = bytes(columns.get(i).name());
            text(name, 0, name.length);
        }
        put((byte) '\n');
        this.header = take();
    }

    /** The kind a column of this base type and category is written as, or null if it has none. */
    static Kind kind(String base, String category) {
        if (category.equals("A")) {
            return null;
        }
        if (category.equals("E")) {
            return Kind.TEXT; // an enum's label
        }
        return switch (base) {
            case "int2" -> Kind.INT2;
            case "int4" -> Kind.INT4;
            case "int8" -> Kind.INT8;
            case "float8" -> Kind.FLOAT8;
            case "bool" -> Kind.BOOL;
            case "text", "varchar", "bpchar", "json" -> Kind.TEXT;
            case "jsonb" -> Kind.JSONB;
            case "bytea" -> Kind.BYTEA;
            case "numeric" -> Kind.NUMERIC;
            case "date" -> Kind.DATE;
            case "timestamp" -> Kind.TIMESTAMP;
            case "timestamptz" -> Kind.TIMESTAMPTZ;
            case "time" -> Kind.TIME;
            case "uuid" -> Kind.UUID;
            default -> null;
        };
    }

    /** Takes one CopyData message: the file header (with the first row or alone), one row, or the trailer. */
    @Override
    public void row(byte[] b, int off, int n) throws IOException {
        int end = off + n;
        int p = off;
        if (!started) {
            if (n < SIGNATURE.length + 8 || !Arrays.equals(b, off, off + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                throw new IOException("the server's binary COPY did not start with its signature");
            }
            p += SIGNATURE.length + 4;
            p += 4 + int32(b, p);
            started = true;
            begin(header);
            if (p == end) {
                return;
            }
        }
        int fields = (short) int16(b, p);
        p += 2;
        if (fields == -1) {
            return; // the trailer: the source calls end() once the COPY is over
        }
        if (fields != kinds.length) {
            throw new IOException("the server's binary COPY sent a row of " + fields + " columns for " + kinds.length);
        }
        int start = len;
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                put((byte) ',');
            }
            int size = int32(b, p);
            p += 4;
            if (size < 0) {
                continue; // NULL: nothing between the commas
            }
            if (p + size > end) {
                throw new IOException("the server's binary COPY sent a value past the end of its row");
            }
            value(i, b, p, size);
            p += size;
        }
        endLine(start);
    }

    private void value(int column, byte[] b, int p, int size) {
        Kind kind = kinds[column];
        switch (kind) {
            case INT2 -> number((short) int16(b, p));
            case INT4 -> number(int32(b, p));
            case INT8 -> number(int64(b, p));
            case FLOAT8 -> {
                ensure(Float8Text.MAX_LENGTH);
                len = doubles.write(Double.longBitsToDouble(int64(b, p)), buf, len);
            }
            case BOOL -> put(b[p] != 0 ? TRUE : FALSE);
            case TEXT -> text(b, p, size);
            case JSONB -> jsonb(b, p, size);
            case BYTEA -> {
                byte[] base64 = Base64.getEncoder().encode(Arrays.copyOfRange(b, p, p + size));
                text(base64, 0, base64.length); // quoted when empty, as the CSV COPY of encode(...) is
            }
            case NUMERIC -> numeric(b, p);
            case DATE -> date(column, int32(b, p));
            case TIMESTAMP -> timestamp(column, int64(b, p), false);
            case TIMESTAMPTZ -> timestamp(column, int64(b, p), true);
            case TIME -> time(int64(b, p), true);
            case UUID -> uuid(b, p);
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** Text, quoted (with each quote doubled) when PostgreSQL's CSV would quote it. */
    private void text(byte[] b, int p, int size) {
        boolean quote = size == 0 || kinds.length == 1 && size == 2 && b[p] == '\\' && b[p + 1] == '.'
                || special(b, p, p + size);
        if (!quote) {
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

    /** jsonb: a version byte (1, the only one there is), then the value's text as {@code jsonb_out} writes it. */
    private void jsonb(byte[] b, int p, int size) {
        if (size < 1 || b[p] != 1) {
            throw new IllegalStateException("the server sent jsonb in a binary version this client does not know ("
                    + (size < 1 ? "none" : Integer.toString(b[p])) + ")");
        }
        text(b, p + 1, size - 1);
    }

    /** Whether a comma, double quote, CR or LF is in the range, eight bytes at a time. */
    private static boolean special(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(b, i);
            // all four are below '-': most words of text have no such byte, and need no closer look
            if (((w - '-' * ONES) & ~w & HIGHS) != 0
                    && (zero(w ^ (',' * ONES)) | zero(w ^ ('"' * ONES)) | zero(w ^ ('\n' * ONES)) | zero(w ^ ('\r' * ONES))) != 0) {
                return true;
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    /** The high bit of each byte of {@code x} that is zero (and none for a word without one). */
    private static long zero(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** PostgreSQL's numeric text: every digit of the value's scale, as {@code numeric_out} writes it. */
    private void numeric(byte[] b, int p) {
        int ndigits = int16(b, p);
        int weight = (short) int16(b, p + 2);
        int sign = int16(b, p + 4);
        int dscale = int16(b, p + 6);
        switch (sign) {
            case 0xC000 -> {
                put(NAN);
                return;
            }
            case 0xD000 -> {
                put(PLUS_INFINITY);
                return;
            }
            case 0xF000 -> {
                put(MINUS_INFINITY);
                return;
            }
            default -> { }
        }
        ensure(8 + 4 * Math.max(weight + 1, 1) + dscale + 4);
        if (sign == 0x4000) {
            buf[len++] = '-';
        }
        int d;
        if (weight < 0) {
            d = weight + 1;
            buf[len++] = '0';
        } else {
            for (d = 0; d <= weight; d++) {
                int dig = d < ndigits ? int16(b, p + 8 + 2 * d) : 0;
                if (d == 0) {
                    number(dig);
                } else {
                    four(dig);
                }
            }
        }
        if (dscale > 0) {
            buf[len++] = '.';
            int stop = len + dscale;
            for (int i = 0; i < dscale; d++, i += 4) {
                four(d >= 0 && d < ndigits ? int16(b, p + 8 + 2 * d) : 0);
            }
            len = stop;
        }
    }

    /** Four digits, with leading zeros, of a number below 10,000. */
    private void four(int v) {
        ensure(4);
        int hi = v / 100;
        two(hi);
        two(v - 100 * hi);
    }

    /** A date: ISO for years 1 to 9999, otherwise PostgreSQL's {@code 12345-01-01}, {@code 0044-03-15 BC}, infinities. */
    private void date(int column, int days) {
        if (days == Integer.MAX_VALUE) {
            put(INFINITE);
        } else if (days == Integer.MIN_VALUE) {
            put(MINUS_INFINITE);
        } else if (days == lastKey[column]) {
            put(lastText[column], 0, 10);
        } else {
            int at = len;
            long year = ymd(days);
            if (year <= 0) {
                put(BC);
            } else if (year <= 9999) {
                lastKey[column] = days;
                System.arraycopy(buf, at, lastText[column], 0, 10);
            }
        }
    }

    /**
     * A timestamp: {@code 2024-01-31T08:30:00.500000} (and {@code Z} with a time zone) for years 1
     * to 9999, otherwise PostgreSQL's ISO text under {@code TimeZone UTC}: {@code 12345-01-01 00:00:00+00},
     * {@code 0044-03-15 00:00:00.5 BC}, infinities.
     */
    private void timestamp(int column, long micros, boolean zone) {
        if (micros == Long.MAX_VALUE) {
            put(INFINITE);
            return;
        }
        if (micros == Long.MIN_VALUE) {
            put(MINUS_INFINITE);
            return;
        }
        long minute = Math.floorDiv(micros, MICROS_PER_MINUTE);
        if (minute == lastKey[column]) {
            ensure(28);
            LONGS.set(buf, len, (long) LONGS.get(lastText[column], 0));
            LONGS.set(buf, len + 8, (long) LONGS.get(lastText[column], 8));
            len += 16;
            int rest = (int) (micros - minute * MICROS_PER_MINUTE);
            int seconds = rest / 1_000_000;
            buf[len++] = ':';
            two(seconds);
            buf[len++] = '.';
            six(rest - seconds * 1_000_000);
            if (zone) {
                buf[len++] = 'Z';
            }
            return;
        }
        long days = Math.floorDiv(micros, MICROS_PER_DAY);
        int at = len;
        long year = ymd(days);
        boolean iso = year >= 1 && year <= 9999;
        put((byte) (iso ? 'T' : ' '));
        time(micros - days * MICROS_PER_DAY, iso);
        if (iso) {
            lastKey[column] = minute;
            System.arraycopy(buf, at, lastText[column], 0, 16);
        }
        if (zone) {
            put(iso ? Z : UTC);
        }
        if (year <= 0) {
            put(BC);
        }
    }

    /**
     * Writes {@code YYYY-MM-DD} for a day counted from 2000-01-01 (proleptic Gregorian, as
     * PostgreSQL's), the year as PostgreSQL writes it (at least four digits, {@code 1 - year} before
     * year 1, whose era the caller writes), and returns the year.
     */
    private long ymd(long days) {
        LocalDate date = LocalDate.ofEpochDay(days + PG_EPOCH_DAY);
        long year = date.getYear();
        long shown = year <= 0 ? 1 - year : year;
        ensure(24);
        if (shown < 10_000) {
            four((int) shown);
        } else {
            number(shown);
        }
        buf[len++] = '-';
        two(date.getMonthValue());
        buf[len++] = '-';
        two(date.getDayOfMonth());
        return year;
    }

    /** {@code HH:MM:SS.ffffff}, or with {@code all} false PostgreSQL's form: the fraction without trailing zeros, if any. */
    private void time(long micros, boolean all) {
        ensure(16);
        long seconds = micros / 1_000_000;
        int fraction = (int) (micros % 1_000_000);
        two((int) (seconds / 3600));
        buf[len++] = ':';
        two((int) (seconds / 60 % 60));
        buf[len++] = ':';
        two((int) (seconds % 60));
        if (all || fraction != 0) {
            buf[len++] = '.';
            six(fraction);
            if (!all) {
                while (buf[len - 1] == '0') {
                    len--;
                }
            }
        }
    }

    /** Six digits, with leading zeros, of a number below 1,000,000. */
    private void six(int v) {
        int high = v / 10_000;
        two(high);
        four(v - high * 10_000);
    }

    private void two(int v) {
        buf[len++] = PAIRS[2 * v];
        buf[len++] = PAIRS[2 * v + 1];
    }

    private void uuid(byte[] b, int p) {
        ensure(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                buf[len++] = '-';
            }
            buf[len++] = HEX[(b[p + i] >> 4) & 0xf];
            buf[len++] = HEX[b[p + i] & 0xf];
        }
    }

    /**
     * A decimal integer. Its digits are counted without branches ({@link ShortestDecimal#length}): keys grow
     * through every length in a table's order, and each first number of a new length would otherwise throw
     * the compiled row loop back to the interpreter.
     */
    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            put(LONG_MIN); // has no long of the opposite sign
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int n = ShortestDecimal.length(v | 1); // the same count, and 0 has one digit
        ShortestDecimal.digits(v, n, buf, len);
        len += n;
    }

    private static int int16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    private static int int32(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    private static long int64(byte[] b, int p) {
        return ((long) int32(b, p) << 32) | (int32(b, p + 4) & 0xffffffffL);
    }
}
