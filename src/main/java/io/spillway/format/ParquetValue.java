package io.spillway.format;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes one non-null value of a column's {@link ColumnType} into a Parquet record: the value as
 * {@link Exact} and {@link ExactTime} take it, or an {@link Exact.Misfit}.
 */
@FunctionalInterface
interface ParquetValue {
    void write(RecordConsumer record, Object value);

    static ParquetValue of(ColumnType type) {
        return switch (type.kind()) {
            case BOOLEAN -> (r, v) -> r.addBoolean(Exact.bool(v));
            case INT8, INT16, INT32, UINT8, UINT16, UINT32 -> (r, v) -> r.addInteger((int) Exact.integer(v, type.kind()));
            case INT64 -> (r, v) -> r.addLong(Exact.integer(v, type.kind()));
            case UINT64 -> (r, v) -> r.addLong(Exact.unsigned64(v).longValue());
            case FLOAT -> (r, v) -> r.addFloat(Exact.float32(v));
            case DOUBLE -> (r, v) -> r.addDouble(Exact.float64(v));
            case DECIMAL -> decimal(type.precision(), type.scale());
            case STRING, JSON -> (r, v) -> r.addBinary(Binary.fromString(Values.text(v)));
            case BINARY -> (r, v) -> r.addBinary(Binary.fromConstantByteArray(Exact.bytes(v)));
            case UUID -> (r, v) -> r.addBinary(Binary.fromConstantByteArray(uuid(Exact.uuid(v))));
            case DATE -> (r, v) -> r.addInteger(ExactTime.epochDay(v));
            case TIME -> (r, v) -> r.addLong(ExactTime.timeMicros(v, false));
            case TIME_UTC -> (r, v) -> r.addLong(ExactTime.timeMicros(v, true));
            case TIMESTAMP -> (r, v) -> r.addLong(ExactTime.localMicros(v));
            case TIMESTAMP_UTC -> (r, v) -> r.addLong(ExactTime.utcMicros(v));
            case LIST -> list(of(type.element()));
        };
    }

    private static ParquetValue decimal(int precision, int scale) {
        int width = precision <= 9 ? 4 : precision <= 18 ? 8 : decimalBytes(precision);
        return (r, v) -> {
            BigInteger unscaled = Exact.decimal(v, precision, scale).unscaledValue();
            if (width == 4) {
                r.addInteger(unscaled.intValueExact());
            } else if (width == 8) {
                r.addLong(unscaled.longValueExact());
            } else {
                r.addBinary(Binary.fromConstantByteArray(fixed(unscaled, width)));
            }
        };
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

    private static byte[] uuid(UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    private static ParquetValue list(ParquetValue element) {
        return (r, v) -> {
            Collection<?> items = Exact.list(v);
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
