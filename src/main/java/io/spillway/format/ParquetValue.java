package io.spillway.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes one non-null value of a column's {@link ColumnType} into a Parquet record. Takes the
 * canonical Java types of {@link Values}, and the near relatives a source may hand over when it
 * reads values as text or JSON (PostgreSQL arrays): {@code java.sql} dates and times, ISO-8601
 * text in date and time columns, digits in numeric columns, {@code BigInteger}/{@code BigDecimal}
 * in integer and floating point columns when they hold the value exactly, PostgreSQL's
 * {@code \\x}-hex text in binary columns, a {@code Boolean} in a 0/1 integer column. Anything
 * else that does not fit exactly (text in a number column, PostgreSQL's {@code infinity} in a
 * timestamp column, {@code NaN} in a decimal column) is a {@link Misfit}.
 */
@FunctionalInterface
interface ParquetValue {
    BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    void write(RecordConsumer record, Object value);

    static ParquetValue of(ColumnType type) {
        return switch (type.kind()) {
            case BOOLEAN -> (r, v) -> r.addBoolean(bool(v));
            case INT8 -> (r, v) -> r.addInteger((int) integer(v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case INT16 -> (r, v) -> r.addInteger((int) integer(v, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT32 -> (r, v) -> r.addInteger((int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT64 -> (r, v) -> r.addLong(integer(v, Long.MIN_VALUE, Long.MAX_VALUE));
            case UINT8 -> (r, v) -> r.addInteger((int) integer(v, 0, 0xff));
            case UINT16 -> (r, v) -> r.addInteger((int) integer(v, 0, 0xffff));
            case UINT32 -> (r, v) -> r.addInteger((int) integer(v, 0, 0xffff_ffffL));
            case UINT64 -> (r, v) -> r.addLong(unsigned64(v));
            case FLOAT -> (r, v) -> r.addFloat(float32(v));
            case DOUBLE -> (r, v) -> r.addDouble(float64(v));
            case DECIMAL -> decimal(type.precision(), type.scale());
            case STRING, JSON -> (r, v) -> r.addBinary(Binary.fromString(Values.text(v)));
            case BINARY -> (r, v) -> r.addBinary(Binary.fromConstantByteArray(bytes(v)));
            case UUID -> (r, v) -> r.addBinary(Binary.fromConstantByteArray(uuid(v)));
            case DATE -> (r, v) -> r.addInteger(Math.toIntExact(ParquetTemporal.date(v).toEpochDay()));
            case TIME -> (r, v) -> r.addLong(ParquetTemporal.time(v, false).toNanoOfDay() / 1000);
            case TIME_UTC -> (r, v) -> r.addLong(ParquetTemporal.time(v, true).toNanoOfDay() / 1000);
            case TIMESTAMP -> (r, v) ->
                    r.addLong(ParquetTemporal.micros(ParquetTemporal.localTimestamp(v).toInstant(ZoneOffset.UTC)));
            case TIMESTAMP_UTC -> (r, v) -> r.addLong(ParquetTemporal.micros(ParquetTemporal.instant(v)));
            case LIST -> list(of(type.element()));
        };
    }

    /** A value that does not fit its column exactly. */
    final class Misfit extends RuntimeException {
        Misfit(Object value, String what) {
            super("value " + shown(value) + " (" + value.getClass().getSimpleName() + ") is not " + what);
        }

        private static String shown(Object value) {
            String text = Values.text(value);
            return text.length() > 60 ? "'" + text.substring(0, 57) + "...'" : "'" + text + "'";
        }
    }

    private static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n && (n.longValue() == 0 || n.longValue() == 1) && n.doubleValue() == n.longValue()) {
            return n.longValue() == 1;
        }
        throw new Misfit(v, "a boolean");
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

    private static long unsigned64(Object v) {
        BigInteger i;
        try {
            i = v instanceof BigInteger b ? b : BigInteger.valueOf(integer(v, 0, Long.MAX_VALUE));
        } catch (Misfit e) {
            i = v instanceof String s && s.trim().matches("\\d+") ? new BigInteger(s.trim()) : BigInteger.ONE.negate();
        }
        if (i.signum() < 0 || i.compareTo(MAX_UINT64) > 0) {
            throw new Misfit(v, "an integer from 0 to " + MAX_UINT64);
        }
        return i.longValue();
    }

    private static float float32(Object v) {
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

    private static double float64(Object v) {
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

    private static <T> T parse(Object v, java.util.function.Function<String, T> parser) {
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

    private static ParquetValue decimal(int precision, int scale) {
        int width = precision <= 9 ? 4 : precision <= 18 ? 8 : decimalBytes(precision);
        return (r, v) -> {
            BigDecimal d;
            try {
                d = decimalOf(v).setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new Misfit(v, "a decimal with at most " + scale + " digits after the point");
            }
            if (d.precision() - d.scale() > precision - scale) {
                throw new Misfit(v, "a decimal of at most " + precision + " digits, " + scale + " after the point");
            }
            BigInteger unscaled = d.unscaledValue();
            if (width == 4) {
                r.addInteger(unscaled.intValueExact());
            } else if (width == 8) {
                r.addLong(unscaled.longValueExact());
            } else {
                r.addBinary(Binary.fromConstantByteArray(fixed(unscaled, width)));
            }
        };
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

    /** The bytes of the smallest two's complement integer that holds every number of {@code precision} digits. */
    static int decimalBytes(int precision) {
        BigInteger max = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
        return (max.bitLength() + 1 + 7) / 8;
    }

    private static byte[] fixed(BigInteger unscaled, int width) {
        byte[] b = unscaled.toByteArray();
        byte[] out = new byte[width];
        Arrays.fill(out, 0, width - b.length, (byte) (unscaled.signum() < 0 ? 0xff : 0));
        System.arraycopy(b, 0, out, width - b.length, b.length);
        return out;
    }

    private static byte[] bytes(Object v) {
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

    private static byte[] uuid(Object v) {
        UUID u;
        try {
            u = v instanceof UUID id ? id : UUID.fromString(String.valueOf(v).trim());
        } catch (IllegalArgumentException e) {
            throw new Misfit(v, "a UUID");
        }
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    private static ParquetValue list(ParquetValue element) {
        return (r, v) -> {
            Collection<?> items = v instanceof Collection<?> c ? c
                    : v instanceof Object[] a ? Arrays.asList(a) : null;
            if (items == null) {
                throw new Misfit(v, "an array (a Collection)");
            }
            r.startGroup();
            if (!items.isEmpty()) {
                r.startField("list", 0);
                for (Object item : items) {
                    r.startGroup();
                    if (item != null) {
                        r.startField("element", 0);
                        element.write(r, item);
                        r.endField("element", 0);
                    }
                    r.endGroup();
                }
                r.endField("list", 0);
            }
            r.endGroup();
        };
    }
}
