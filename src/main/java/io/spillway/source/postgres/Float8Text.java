package io.spillway.source.postgres;

import io.spillway.source.jdbc.ShortestDecimal;

/**
 * A double's text as PostgreSQL 12 and later write it ({@code float8out} with {@code extra_float_digits}
 * above 0, as the source's sessions set it): the shortest digits that read back as the same double, the
 * closest of them ({@link ShortestDecimal}), as PostgreSQL's {@code src/common/d2s.c} writes them.
 * Two of its choices show in the text: a decimal exactly halfway between two doubles is never taken (it is
 * built without {@code STRICTLY_SHORTEST}, so {@code 1e23}'s double is {@code 9.999999999999999e+22}), and
 * the notation is fixed for decimal exponents -4 to 14 ({@code 0.0001}, {@code 123456789012345}), else
 * scientific with a signed exponent of two digits or more ({@code 1e-05}, {@code 1.5e+300}). Zero is
 * {@code 0} or {@code -0}; NaN and the infinities are PostgreSQL's words.
 *
 * <p>The client writes these so that a table with a {@code double precision} column can still be copied
 * in binary (see {@link BinaryCsv}): the server's formatting of doubles is a quarter of its COPY's time. On
 * servers of version 10 and 11 this is also what a double becomes: their own text has 17 digits.
 */
final class Float8Text {
    /** The most bytes one double takes: a sign, 17 digits, a point and {@code e-308}. */
    static final int MAX_LENGTH = 24;

    private static final byte[] NAN = {'N', 'a', 'N'};
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private final ShortestDecimal decimal = new ShortestDecimal();

    /** Writes the text of {@code v} into {@code b} from {@code p} (which has {@link #MAX_LENGTH} bytes free); returns where it ends. */
    int write(double v, byte[] b, int p) {
        long bits = Double.doubleToRawLongBits(v);
        if (Double.isNaN(v)) {
            return put(NAN, b, p);
        }
        if (bits < 0) {
            b[p++] = '-';
        }
        if (Double.isInfinite(v)) {
            return put(INFINITY, b, p);
        }
        if (v == 0) {
            b[p] = '0';
            return p + 1;
        }
        decimal.set(v, false);
        return text(decimal.digits(), decimal.exponent(), decimal.integer(), b, p);
    }

    /**
     * Writes {@code output * 10^exponent}: in fixed notation for a decimal exponent of -4 to 14, else scientific
     * (where a small integer's trailing zeros move into the exponent).
     */
    private static int text(long output, int exponent, boolean smallInt, byte[] b, int p) {
        int length = ShortestDecimal.length(output);
        int exp = exponent + length - 1;
        if (exp >= -4 && exp < 15) {
            int point = exponent + length; // digits before the point
            if (point <= 0) {
                b[p++] = '0';
                b[p++] = '.';
                for (int k = point; k < 0; k++) {
                    b[p++] = '0';
                }
                ShortestDecimal.digits(output, length, b, p);
                return p + length;
            }
            if (exponent < 0) {
                ShortestDecimal.digits(output, length, b, p + 1);
                System.arraycopy(b, p + 1, b, p, point);
                b[p + point] = '.';
                return p + length + 1;
            }
            ShortestDecimal.digits(output, length, b, p);
            p += length;
            for (int k = 0; k < exponent; k++) {
                b[p++] = '0';
            }
            return p;
        }
        if (smallInt) {
            while (output % 10 == 0) {
                output /= 10;
                length--;
            }
        }
        ShortestDecimal.digits(output, length, b, p + 1);
        b[p] = b[p + 1];
        if (length > 1) {
            b[p + 1] = '.';
            p += length + 1;
        } else {
            p++;
        }
        b[p++] = 'e';
        if (exp < 0) {
            b[p++] = '-';
            exp = -exp;
        } else {
            b[p++] = '+';
        }
        if (exp >= 100) {
            b[p++] = (byte) ('0' + exp / 100);
            exp %= 100;
        }
        b[p++] = PAIRS[2 * exp];
        b[p++] = PAIRS[2 * exp + 1];
        return p;
    }

    private static int put(byte[] text, byte[] b, int p) {
        System.arraycopy(text, 0, b, p, text.length);
        return p + text.length;
    }
}
