package io.spillway.format;

import io.spillway.spi.Column;
import io.spillway.spi.JobException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Function;

/**
 * A value as the type of its column, for the writers whose columns have types (Parquet, Avro), when
 * it holds the value exactly. Takes the canonical Java types of {@link Values}, and the near
 * relatives a source may hand over when it reads values as text or JSON (PostgreSQL arrays): digits
 * in numeric columns, {@code BigInteger}/{@code BigDecimal} in integer and floating point columns
 * when they hold the value exactly, PostgreSQL's {@code \\x}-hex text in binary columns, a
 * {@code Boolean} in a 0/1 integer column; dates and times are {@link ExactTime}'s. Anything else
 * (text in a number column, {@code NaN} in a decimal column) is a {@link Misfit}.
 */
final class Exact {
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Exact() {}

    /** A value that does not fit its column exactly. */
    static final class Misfit extends RuntimeException {
        Misfit(Object value, String what) {
            super("value " + shown(value) + " (" + value.getClass().getSimpleName() + ") is not " + what);
        }

        private static String shown(Object value) {
            String text = Values.text(value);
            return text.length() > 60 ? "'" + text.substring(0, 57) + "...'" : "'" + text + "'";
        }

        /** The error that stops the export: which column, which value, what to do. */
        JobException in(Column column) {
            return new JobException("column " + column.name() + " (" + column.type() + "): " + getMessage()
                    + "; export this table as csv or jsonl, or have the source declare the column's real type", this);
        }
    }

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n && (n.longValue() == 0 || n.longValue() == 1) && n.doubleValue() == n.longValue()) {
            return n.longValue() == 1;
        }
        throw new Misfit(v, "a boolean");
    }

    /** An integer column's value, in the range of its kind: INT8 to INT64, UINT8 to UINT32. */
    static long integer(Object v, ColumnType.Kind kind) {
        return switch (kind) {
            case INT8 -> integer(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> integer(v, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> integer(v, Long.MIN_VALUE, Long.MAX_VALUE);
            case UINT8 -> integer(v, 0, 0xff);
            case UINT16 -> integer(v, 0, 0xffff);
            case UINT32 -> integer(v, 0, 0xffff_ffffL);
            default -> throw new IllegalArgumentException(kind + " is not an integer of 64 bits or fewer that a long holds");
        };
    }

    private static long integer(Object v, long min, long max) {
        long n;
        try {
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                n = ((Number) v).longValue();
            } else if (v instanceof Boolean b) {
                n = b ? 1 : 0;
            } else if (v instanceof BigInteger i) {
                n = i.longValueExact();
            } else if (v instanceof BigDecimal d) {
                n = d.longValueExact();
            } else if (v instanceof String s) {
                n = Long.parseLong(s.trim());
            } else if (v instanceof Double || v instanceof Float) {
                n = new BigDecimal(((Number) v).toString()).longValueExact();
            } else {
                throw new Misfit(v, "an integer");
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new Misfit(v, "an integer from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new Misfit(v, "an integer from " + min + " to " + max);
        }
        return n;
    }

    static BigInteger unsigned64(Object v) {
        BigInteger i;
        try {
            i = v instanceof BigInteger b ? b : BigInteger.valueOf(integer(v, 0, Long.MAX_VALUE));
        } catch (Misfit e) {
            i = v instanceof String s && s.trim().matches("\\d+") ? new BigInteger(s.trim()) : BigInteger.ONE.negate();
        }
        if (i.signum() < 0 || i.compareTo(MAX_UINT64) > 0) {
            throw new Misfit(v, "an integer from 0 to " + MAX_UINT64);
        }
        return i;
    }

    static float float32(Object v) {
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof BigDecimal || v instanceof String) { // a float as text, as in a JSON array
            String text = v.toString().trim();
            float f = special(text) != null ? special(text).floatValue() : parse(v, Float::parseFloat);
            if (Float.isNaN(f) || Float.isInfinite(f) || readsBackAs(text, Float.toString(f), new BigDecimal(f))) {
                return f;
            }
            throw new Misfit(v, "a 4-byte float");
        }
        double d = float64(v);
        if ((float) d != d && !Double.isNaN(d)) {
            throw new Misfit(v, "a 4-byte float (a double would lose nothing: declare the column double)");
        }
        return (float) d;
    }

    static double float64(Object v) {
        if (v instanceof Double || v instanceof Float || v instanceof Integer || v instanceof Short
                || v instanceof Byte) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Long || v instanceof BigInteger) {
            double d = ((Number) v).doubleValue();
            if (new BigDecimal(d).compareTo(decimalOf(v)) == 0) {
                return d;
            }
            throw new Misfit(v, "a floating point number held exactly by a double");
        }
        if (v instanceof BigDecimal || v instanceof String) { // a double as text, as in a JSON array
            String text = v.toString().trim();
            double d = special(text) != null ? special(text) : parse(v, Double::parseDouble);
            if (Double.isNaN(d) || Double.isInfinite(d) || readsBackAs(text, Double.toString(d), new BigDecimal(d))) {
                return d;
            }
            throw new Misfit(v, "a floating point number held exactly by a double");
        }
        throw new Misfit(v, "a floating point number");
    }

    private static Double special(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    private static <T> T parse(Object v, Function<String, T> parser) {
        try {
            return parser.apply(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new Misfit(v, "a floating point number");
        }
    }

    /** Whether decimal {@code text} is the value of a float or double: its shortest form or its exact one. */
    private static boolean readsBackAs(String text, String shortest, BigDecimal exact) {
        BigDecimal value = new BigDecimal(text);
        return new BigDecimal(shortest).compareTo(value) == 0 || exact.compareTo(value) == 0;
    }

    /** The value at the column's scale, which it must not need more digits than. */
    static BigDecimal decimal(Object v, int precision, int scale) {
        BigDecimal d;
        try {
            d = decimalOf(v).setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new Misfit(v, "a decimal with at most " + scale + " digits after the point");
        }
        if (d.precision() - d.scale() > precision - scale) {
            throw new Misfit(v, "a decimal of at most " + precision + " digits, " + scale + " after the point");
        }
        return d;
    }

    private static BigDecimal decimalOf(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            return new BigDecimal(v.toString()); // the shortest form that reads back as the same double
        }
        if (v instanceof String s) {
            return new BigDecimal(s.trim());
        }
        throw new Misfit(v, "a decimal");
    }

    static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof ByteBuffer b) {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            return copy;
        }
        if (v instanceof String s) {
            if (s.matches("\\\\x([0-9a-fA-F]{2})*")) { // PostgreSQL's bytea text, as in a JSON array
                return HexFormat.of().parseHex(s, 2, s.length());
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new Misfit(v, "binary (byte[])");
    }

    static UUID uuid(Object v) {
        try {
            return v instanceof UUID id ? id : UUID.fromString(String.valueOf(v).trim());
        } catch (IllegalArgumentException e) {
            throw new Misfit(v, "a UUID");
        }
    }

    /** The elements of an array value. */
    static Collection<?> list(Object v) {
        if (v instanceof Collection<?> c) {
            return c;
        }
        if (v instanceof Object[] a) {
            return Arrays.asList(a);
        }
        throw new Misfit(v, "an array (a Collection)");
    }
}
