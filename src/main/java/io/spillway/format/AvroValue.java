package io.spillway.format;

import java.io.IOException;
import java.util.Collection;
import org.apache.avro.io.Encoder;

/**
 * Encodes one non-null value of a column's {@link ColumnType} as the Avro type {@link AvroColumns}
 * gives the column: the value as {@link Exact} and {@link ExactTime} take it, or an {@link Exact.Misfit}.
 */
@FunctionalInterface
interface AvroValue {
    void write(Encoder out, Object value) throws IOException;

    static AvroValue of(ColumnType type) {
        return switch (type.kind()) {
            case BOOLEAN -> (e, v) -> e.writeBoolean(Exact.bool(v));
            case INT8, INT16, INT32, UINT8, UINT16 -> (e, v) -> e.writeInt((int) Exact.integer(v, type.kind()));
            case INT64, UINT32 -> (e, v) -> e.writeLong(Exact.integer(v, type.kind()));
            case UINT64 -> (e, v) -> e.writeBytes(Exact.unsigned64(v).toByteArray());
            case FLOAT -> (e, v) -> e.writeFloat(Exact.float32(v));
            case DOUBLE -> (e, v) -> e.writeDouble(Exact.float64(v));
            case DECIMAL -> (e, v) ->
                    e.writeBytes(Exact.decimal(v, type.precision(), type.scale()).unscaledValue().toByteArray());
            case STRING, JSON -> (e, v) -> e.writeString(Values.text(v));
            case BINARY -> (e, v) -> e.writeBytes(Exact.bytes(v));
            case UUID -> (e, v) -> e.writeString(Exact.uuid(v).toString());
            case DATE -> (e, v) -> e.writeInt(ExactTime.epochDay(v));
            case TIME -> (e, v) -> e.writeLong(ExactTime.timeMicros(v, false));
            case TIME_UTC -> (e, v) -> e.writeLong(ExactTime.timeMicros(v, true));
            case TIMESTAMP -> (e, v) -> e.writeLong(ExactTime.localMicros(v));
            case TIMESTAMP_UTC -> (e, v) -> e.writeLong(ExactTime.utcMicros(v));
            case LIST -> list(of(type.element()));
        };
    }

    /** A nullable value: the index of its branch in the union of null and its type, then the value. */
    static void nullable(Encoder out, Object value, AvroValue writer) throws IOException {
        if (value == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            writer.write(out, value);
        }
    }

    private static AvroValue list(AvroValue element) {
        return (e, v) -> {
            Collection<?> items = Exact.list(v);
            e.writeArrayStart();
            e.setItemCount(items.size());
            for (Object item : items) {
                e.startItem();
                nullable(e, item, element);
            }
            e.writeArrayEnd();
        };
    }
}
