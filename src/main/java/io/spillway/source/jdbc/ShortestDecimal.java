package io.spillway.source.jdbc;

import java.math.BigInteger;

/**
 * The shortest decimal that reads back as a double, the closest of those, found by Ryu (Ulf Adams, PLDI 2018):
 * what PostgreSQL 12 and later (its {@code src/common/d2s.c}), MySQL's and MariaDB's {@code dtoa} and Java 19's
 * {@code Double.toString} all write, in their own layouts. They differ in one choice: whether a decimal exactly
 * halfway between two doubles may be taken for the one whose mantissa is even (a reader rounds it to that one).
 * PostgreSQL builds Ryu without that ({@code 1e23}'s double is {@code 9.999999999999999e+22} there), {@code dtoa}
 * takes it ({@code 1e+23}). No object is made: a source keeps one instance and reads {@link #digits} and
 * {@link #exponent} after each {@link #set}. Not thread safe.
 */
public final class ShortestDecimal {
    private static final int MANTISSA_BITS = 52;
    private static final int BIAS = 1023;
    private static final int POW5_INV_BITS = 122;
    private static final int POW5_BITS = 121;
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

    private long digits;
    private int exponent;
    private boolean integer;

    /**
     * Finds the decimal of a finite double other than zero (its sign aside): {@code digits() * 10^exponent()}.
     * {@code halfwayTaken}: whether a decimal exactly halfway to a neighbour may be taken (dtoa, Java), or not (PostgreSQL).
     */
    public void set(double v, boolean halfwayTaken) {
        long bits = Double.doubleToRawLongBits(v);
        long ieeeMantissa = bits & ((1L << MANTISSA_BITS) - 1);
        int ieeeExponent = (int) (bits >>> MANTISSA_BITS) & 0x7ff;
        long m2 = (1L << MANTISSA_BITS) | ieeeMantissa;
        int e2 = ieeeExponent - BIAS - MANTISSA_BITS;
        if (e2 <= 0 && e2 >= -MANTISSA_BITS && (ieeeMantissa & ((1L << -e2) - 1)) == 0) {
            digits = m2 >> -e2; // an integer below 2^53: its digits as they are, trailing zeros included
            exponent = 0;
            integer = true;
            return;
        }
        shortest(ieeeMantissa, ieeeExponent, halfwayTaken);
    }

    /** The decimal's digits, 1 to 17 of them (an integer below 2^53 may end in zeros). */
    public long digits() {
        return digits;
    }

    /** The power of ten the digits are multiplied by. */
    public int exponent() {
        return exponent;
    }

    /** Whether the double was an integer below 2^53, whose digits are its own (and may end in zeros). */
    public boolean integer() {
        return integer;
    }

    /** Ryu's steps 2 to 4 for a finite, non-zero double that is not an integer below 2^53. */
    private void shortest(long ieeeMantissa, int ieeeExponent, boolean halfwayTaken) {
        int e2;
        long m2;
        if (ieeeExponent == 0) {
            e2 = 1 - BIAS - MANTISSA_BITS - 2;
            m2 = ieeeMantissa;
        } else {
            e2 = ieeeExponent - BIAS - MANTISSA_BITS - 2;
            m2 = (1L << MANTISSA_BITS) | ieeeMantissa;
        }
        // the decimals that read back as this double lie between (mv - 1 - mmShift) and (mv + 2), in units of 2^e2:
        // the bounds themselves too where halfway decimals are taken and the mantissa is even (they read back as it)
        boolean acceptBounds = halfwayTaken && (m2 & 1) == 0;
        long mv = 4 * m2;
        int mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0;
        int e10;
        int shift;
        long lo;
        long hi;
        boolean vrIsTrailingZeros = false;
        boolean vmIsTrailingZeros = false;
        int upperTaken = 1; // 0 where the upper bound is itself a decimal of this length: it is not taken
        if (e2 >= 0) {
            int q = log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            shift = -e2 + q + POW5_INV_BITS + pow5bits(q) - 1;
            lo = POW5_INV[2 * q];
            hi = POW5_INV[2 * q + 1];
            if (q <= 21) {
                if (mv % 5 == 0) {
                    vrIsTrailingZeros = pow5Factor(mv) >= q;
                } else if (acceptBounds) {
                    vmIsTrailingZeros = pow5Factor(mv - 1 - mmShift) >= q;
                } else if (pow5Factor(mv + 2) >= q) {
                    upperTaken = 0;
                }
            }
        } else {
            int q = log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            int i = -e2 - q;
            shift = q - (pow5bits(i) - POW5_BITS);
            lo = POW5[2 * i];
            hi = POW5[2 * i + 1];
            if (q <= 1) {
                vrIsTrailingZeros = true;
                if (acceptBounds) {
                    vmIsTrailingZeros = mmShift == 1;
                } else {
                    upperTaken = 0;
                }
            } else if (q < 63) {
                vrIsTrailingZeros = (mv & ((1L << (q - 1)) - 1)) == 0;
            }
        }
        long vr = mulShift(mv, lo, hi, shift);
        long vp = mulShift(mv + 2, lo, hi, shift) - 1 + upperTaken;
        long vm = mulShift(mv - 1 - mmShift, lo, hi, shift);
        int removed = 0;
        long output;
        if (vrIsTrailingZeros || vmIsTrailingZeros) {
            // the exact value's digits below vr may all be zero (a removed 5 then rounds to even), and so may the
            // lower bound's (it may then be taken itself)
            // (digits go while a shorter decimal is in the interval, then, where the lower bound may be taken and
            // ends in zeros, while it still does)
            int lastRemovedDigit = 0;
            while (vp / 10 > vm / 10 || vmIsTrailingZeros && vm % 10 == 0) {
                vmIsTrailingZeros &= vm % 10 == 0;
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
            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1 : 0);
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
        digits = output;
        exponent = e10 + removed;
        integer = false;
    }

    /** The {@code n} decimal digits of {@code v}, written to end at {@code p + n}. */
    public static void digits(long v, int n, byte[] b, int p) {
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
    public static int length(long v) {
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

}
