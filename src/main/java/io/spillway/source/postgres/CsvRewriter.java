package io.spillway.source.postgres;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Rewrites the few PostgreSQL text forms that differ from Spillway's canonical ones in each CSV
 * row that COPY sends, on the client, so the server runs COPY at its native speed (rendering them
 * in SQL with {@code to_char} made COPY three times slower): timestamps {@code 2024-01-31 08:30:00.5} become
 * {@code 2024-01-31T08:30:00.500000}, with {@code Z} for {@code +00} (the session runs in UTC);
 * times get six fraction digits; booleans {@code t}/{@code f} become {@code true}/{@code false}
 * (so that a plain table can be copied without a SELECT). Values of other shapes (infinities, BC
 * dates, years past 9999) and every other column pass unchanged. Not thread safe.
 */
final class CsvRewriter {
    enum Fix { NONE, BOOL, TIMESTAMP, TIMESTAMPTZ, TIME }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long COMMAS = ',' * ONES;
    private static final long NEWLINES = '\n' * ONES;
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private final Fix[] fixes;
    private final boolean any;
    /** Columns after the last one fixed are copied as they are, never scanned. */
    private final int scanned;
    private byte[] out = new byte[1024];
    private int length;

    CsvRewriter(Fix[] fixes) {
        this.fixes = fixes.clone();
        this.any = Arrays.stream(fixes).anyMatch(f -> f != Fix.NONE);
        int last = fixes.length - 1;
        while (last >= 0 && fixes[last] == Fix.NONE) {
            last--;
        }
        this.scanned = last + 1;
    }

    boolean changesAnything() {
        return any;
    }

    /**
     * Rewrites the whole row (ending in LF) in {@code len} bytes of {@code row} from {@code off}; the
     * result is {@link #bytes()} up to {@link #length()}.
     */
    void rewrite(byte[] row, int off, int len) {
        length = 0;
        int end = off + len;
        int i = off;
        for (int col = 0; col < scanned && i < end; col++) {
            int start = i;
            if (row[i] == '"') {
                i++;
                while (i < end) {
                    if (row[i] == '"') {
                        if (i + 1 < end && row[i + 1] == '"') {
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
            }
            i = delimiter(row, i, end);
            fix(fixes[col], row, start, i);
            if (i < end) {
                put(row[i]); // the ',' or the final LF
                i++;
            }
        }
        if (i < end) {
            put(row, i, end - i);
        }
    }

    /**
     * The index of the first ',' or LF at or after {@code i} and before {@code end} (or {@code end}), eight bytes at a
     * time: a byte equal to the one sought is zero after XOR, and {@code (x - 0x01..) & ~x & 0x80..}
     * marks the lowest zero byte exactly (marks above it may be false, the lowest one never is).
     */
    static int delimiter(byte[] b, int i, int end) {
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long w = (long) LONGS.get(b, i);
            long comma = w ^ COMMAS;
            long newline = w ^ NEWLINES;
            long found = ((comma - ONES) & ~comma | (newline - ONES) & ~newline) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < end && b[i] != ',' && b[i] != '\n') {
            i++;
        }
        return i;
    }

    byte[] bytes() {
        return out;
    }

    int length() {
        return length;
    }

    private void fix(Fix fix, byte[] b, int from, int to) {
        int n = to - from;
        switch (fix) {
            case BOOL -> {
                if (n == 1 && b[from] == 't') {
                    put(TRUE, 0, 4);
                } else if (n == 1 && b[from] == 'f') {
                    put(FALSE, 0, 5);
                } else {
                    put(b, from, n);
                }
            }
            case TIMESTAMP, TIMESTAMPTZ -> {
                boolean zone = fix == Fix.TIMESTAMPTZ;
                int end = zone ? to - 3 : to;
                if (n >= 19 && b[from + 10] == ' ' && b[from + 4] == '-' && (!zone || isUtc(b, end))
                        && isTime(b, from + 11, end)) {
                    put(b, from, 10);
                    put((byte) 'T');
                    time(b, from + 11, end);
                    if (zone) {
                        put((byte) 'Z');
                    }
                } else {
                    put(b, from, n);
                }
            }
            case TIME -> {
                if (isTime(b, from, to)) {
                    time(b, from, to);
                } else {
                    put(b, from, n);
                }
            }
            default -> put(b, from, n);
        }
    }

    private static boolean isUtc(byte[] b, int at) {
        return at > 0 && b[at] == '+' && b[at + 1] == '0' && b[at + 2] == '0';
    }

    /** {@code HH:MM:SS} and an optional fraction of one to six digits, nothing else. */
    private static boolean isTime(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 8 || n == 9 || n > 15 || b[from + 2] != ':' || b[from + 5] != ':' || (n > 8 && b[from + 8] != '.')) {
            return false;
        }
        for (int i = from + 9; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code HH:MM:SS[.f...]} with the fraction padded to six digits. */
    private void time(byte[] b, int from, int to) {
        put(b, from, 8);
        int digits = to - from - 8 > 0 ? to - from - 9 : 0;
        put((byte) '.');
        if (digits > 0) {
            put(b, from + 9, digits);
        }
        for (int k = digits; k < 6; k++) {
            put((byte) '0');
        }
    }

    private void put(byte v) {
        ensure(1);
        out[length++] = v;
    }

    private void put(byte[] b, int from, int n) {
        ensure(n);
        System.arraycopy(b, from, out, length, n);
        length += n;
    }

    private void ensure(int n) {
        if (length + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + n));
        }
    }
}
