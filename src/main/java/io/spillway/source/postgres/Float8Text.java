package io.spillway.source.postgres;

import java.math.BigInteger;

/**
 * A double's text as PostgreSQL 12 and later write it ({@code float8out} with {@code extra_float_digits}
 * above 0, as the source's sessions set it): the shortest digits that read back as the same double, the
 * closest of them, found by Ryu (Ulf Adams, PLDI 2018) as PostgreSQL's {@code src/common/d2s.c} runs it.
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

    private static final int MANTISSA_BITS = 52;
    private static final int BIAS = 1023;
    private static final int POW5_INV_BITS = 122;
    private static final int POW5_BITS = 121;
    private static final byte[] NAN = {'N', 'a', 'N'};
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};
    private static final byte[] PAIRS = new byte[200];
    private static final long[] POWERS_OF_TEN = new long[19];
    /**
     * 5^-q and 5^i as 128-bit fractions, each a (low, high) pair of longs: 2^(bits(5^q) - 1 + 122) / 5^q
     * rounded up, and 5^i's top 121 bits, for every q and i a double needs (PostgreSQL's tables, computed).
     */
    private static final long[] POW5_INV = new long[2 * 342];
    private static final long[] POW5 = new long[2 * 326];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = 10 * POWERS_OF_TEN[i - 1];
        }
        BigInteger low = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        BigInteger five = BigInteger.valueOf(5);
        BigInteger pow = BigInteger.ONE;
        for (int i = 0; i < 342; i++, pow = pow.multiply(five)) {
            int bits = pow.bitLength();
            BigInteger inverse = BigInteger.ONE.shiftLeft(bits - 1 + POW5_INV_BITS).divide(pow).add(BigInteger.ONE);
            POW5_INV[2 * i] = inverse.and(low).longValue();
            POW5_INV[2 * i + 1] = inverse.shiftRight(64).longValue();
            if (i < 326) {
                BigInteger top = pow.shiftRight(bits - POW5_BITS); // a negative shift is a shift left
                POW5[2 * i] = top.and(low).longValue();
                POW5[2 * i + 1] = top.shiftRight(64).longValue();
            }
        }
    }

    private Float8Text() {}

    /** Writes the text of {@code v} into {@code b} from {@code p} (which has {@link #MAX_LENGTH} bytes free); returns where it ends. */
    static int write(double v, byte[] b, int p) {
        long bits = Double.doubleToRawLongBits(v);
        long ieeeMantissa = bits & ((1L << MANTISSA_BITS) - 1);
        int ieeeExponent = (int) (bits >>> MANTISSA_BITS) & 0x7ff;
        if (ieeeExponent == 0x7ff) {
            if (ieeeMantissa != 0) {
                return put(NAN, b, p);
            }
            if (bits < 0) {
                b[p++] = '-';
            }
            return put(INFINITY, b, p);
        }
        if (bits < 0) {
            b[p++] = '-';
        }
        if (ieeeExponent == 0 && ieeeMantissa == 0) {
            b[p] = '0';
            return p + 1;
        }
        long m2 = (1L << MANTISSA_BITS) | ieeeMantissa;
        int e2 = ieeeExponent - BIAS - MANTISSA_BITS;
        if (e2 <= 0 && e2 >= -MANTISSA_BITS && (ieeeMantissa & ((1L << -e2) - 1)) == 0) {
            return text(m2 >> -e2, 0, true, b, p); // an integer below 2^53: its digits as they are
        }
        return shortest(ieeeMantissa, ieeeExponent, b, p);
    }

    /** Ryu's steps 2 to 4 for a finite, non-zero double that is not a small integer, then its text. */
    private static int shortest(long ieeeMantissa, int ieeeExponent, byte[] b, int p) {
        int e2;
        long m2;
        if (ieeeExponent == 0) {
            e2 = 1 - BIAS - MANTISSA_BITS - 2;
            m2 = ieeeMantissa;
        } else {
            e2 = ieeeExponent - BIAS - MANTISSA_BITS - 2;
            m2 = (1L << MANTISSA_BITS) | ieeeMantissa;
        }
        // the decimals that read back as this double lie strictly between (mv - 1 - mmShift) and (mv + 2), in units of 2^e2
        long mv = 4 * m2;
        int mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0;
        long vr;
        long vp;
        long vm;
        int e10;
        boolean vrIsTrailingZeros = false;
        if (e2 >= 0) {
            int q = log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            int shift = -e2 + q + POW5_INV_BITS + pow5bits(q) - 1;
            long lo = POW5_INV[2 * q];
            long hi = POW5_INV[2 * q + 1];
            vr = mulShift(mv, lo, hi, shift);
            vp = mulShift(mv + 2, lo, hi, shift);
            vm = mulShift(mv - 1 - mmShift, lo, hi, shift);
            if (q <= 21) {
                if (mv % 5 == 0) {
                    vrIsTrailingZeros = pow5Factor(mv) >= q;
                } else if (pow5Factor(mv + 2) >= q) {
                    vp--; // the upper bound is itself a decimal of this length: it is not taken
                }
            }
        } else {
            int q = log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            int i = -e2 - q;
            int shift = q - (pow5bits(i) - POW5_BITS);
            long lo = POW5[2 * i];
            long hi = POW5[2 * i + 1];
            vr = mulShift(mv, lo, hi, shift);
            vp = mulShift(mv + 2, lo, hi, shift);
            vm = mulShift(mv - 1 - mmShift, lo, hi, shift);
            if (q <= 1) {
                vrIsTrailingZeros = true;
                vp--;
            } else if (q < 63) {
                vrIsTrailingZeros = (mv & ((1L << (q - 1)) - 1)) == 0;
            }
        }
        int removed = 0;
        long output;
        if (vrIsTrailingZeros) {
            // the exact value's digits below vr may all be zero: a removed 5 then rounds to even
            int lastRemovedDigit = 0;
            while (vp / 10 > vm / 10) {
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = (int) (vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) {
                lastRemovedDigit = 4;
            }
            output = vr + (vr == vm || lastRemovedDigit >= 5 ? 1 : 0);
        } else {
            boolean roundUp = false;
            if (vp / 100 > vm / 100) {
                roundUp = vr % 100 >= 50;
                vr /= 100;
                vp /= 100;
                vm /= 100;
                removed += 2;
            }
            while (vp / 10 > vm / 10) {
                roundUp = vr % 10 >= 5;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            output = vr + (vr == vm || roundUp ? 1 : 0);
        }
        return text(output, e10 + removed, false, b, p);
    }

    /**
     * Writes {@code output * 10^exponent}: in fixed notation for a decimal exponent of -4 to 14, else scientific
     * (where a small integer's trailing zeros move into the exponent).
     */
    private static int text(long output, int exponent, boolean smallInt, byte[] b, int p) {
        int length = length(output);
        int exp = exponent + length - 1;
        if (exp >= -4 && exp < 15) {
            int point = exponent + length; // digits before the point
            if (point <= 0) {
                b[p++] = '0';
                b[p++] = '.';
                for (int k = point; k < 0; k++) {
                    b[p++] = '0';
                }
                digits(output, length, b, p);
                return p + length;
            }
            if (exponent < 0) {
                digits(output, length, b, p + 1);
                System.arraycopy(b, p + 1, b, p, point);
                b[p + point] = '.';
                return p + length + 1;
            }
            digits(output, length, b, p);
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
        digits(output, length, b, p + 1);
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

    /** The {@code n} decimal digits of {@code v}, written to end at {@code p + n}. */
    private static void digits(long v, int n, byte[] b, int p) {
        int at = p + n;
        while (v > Integer.MAX_VALUE) { // eight digits at a time in one long division, then in int arithmetic
            long q = v / 100_000_000;
            int low = (int) (v - 100_000_000 * q);
            v = q;
            int high = low / 10_000;
            four(low - 10_000 * high, b, at - 4);
            four(high, b, at - 8);
            at -= 8;
        }
        int w = (int) v;
        while (w >= 100) {
            int q = w / 100;
            int r = w - 100 * q;
            w = q;
            b[--at] = PAIRS[2 * r + 1];
            b[--at] = PAIRS[2 * r];
        }
        if (w >= 10) {
            b[--at] = PAIRS[2 * w + 1];
            b[--at] = PAIRS[2 * w];
        } else {
            b[--at] = (byte) ('0' + w);
        }
    }

    /** Four digits, with leading zeros, of a number below 10,000, from {@code p}. */
    private static void four(int v, byte[] b, int p) {
        int high = v / 100;
        int low = v - 100 * high;
        b[p] = PAIRS[2 * high];
        b[p + 1] = PAIRS[2 * high + 1];
        b[p + 2] = PAIRS[2 * low];
        b[p + 3] = PAIRS[2 * low + 1];
    }

    /** How many decimal digits a number from 1 to 10^18 has: from its bits' count times log10(2), then one comparison made in arithmetic. */
    private static int length(long v) {
        int t = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12;
        return t + (int) ((POWERS_OF_TEN[t] - 1 - v) >>> 63);
    }

    /** The top bits of the 64 x 128-bit product {@code m * (hi:lo)} shifted right by {@code shift} (115 to 127), for m below 2^63. */
    private static long mulShift(long m, long lo, long hi, int shift) {
        long low = Math.multiplyHigh(m, lo) + ((lo >> 63) & m); // unsigned: lo may have its top bit set
        long mid = m * hi;
        long high = Math.multiplyHigh(m, hi);
        long sum = low + mid;
        if (Long.compareUnsigned(sum, low) < 0) {
            high++;
        }
        int s = shift - 64;
        return (sum >>> s) | (high << (64 - s));
    }

    private static int pow5Factor(long v) {
        int count = 0;
        while (v % 5 == 0) {
            v /= 5;
            count++;
        }
        return count;
    }

    /** The bits of 5^e (1 for e = 0), for e from 0 to 3528. */
    private static int pow5bits(int e) {
        return (int) (((long) e * 1217359) >>> 19) + 1;
    }

    /** floor(log10(2^e)), for e from 0 to 1650. */
    private static int log10Pow2(int e) {
        return (int) (((long) e * 78913) >>> 18);
    }

    /** floor(log10(5^e)), for e from 0 to 2620. */
    private static int log10Pow5(int e) {
        return (int) (((long) e * 732923) >>> 20);
    }

    private static int put(byte[] text, byte[] b, int p) {
        System.arraycopy(text, 0, b, p, text.length);
        return p + text.length;
    }
}
