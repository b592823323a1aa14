package io.spillway.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.spillway.spi.Column;
import io.spillway.spi.RowSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * JSON lines: one object per row on one line, keys the column names in column order, UTF-8.
 * Values are JSON where JSON holds them exactly and documented strings where it cannot:
 *
 * <ul>
 * <li>booleans; integers from -(2^53-1) to 2^53-1 as numbers, larger ones as strings of their digits
 * <li>decimals of up to 15 digits as numbers (plain, never an exponent), longer ones as strings of their plain digits
 * <li>floating point as numbers; {@code NaN}, {@code Infinity}, {@code -Infinity} as those strings
 * <li>arrays (any {@code Collection}) as JSON arrays of values rendered by these same rules
 * <li>everything else as a string in the text form of {@link Values}: dates, times, timestamps,
 *     base64 binary, UUIDs, intervals, JSON documents (as text, not nested)
 * </ul>
 *
 * A reader that is given the column types (DuckDB's {@code read_json(..., columns=...)}, a
 * BigQuery schema) reads either form of a number back exactly.
 */
final class JsonlRows implements RowSink {
    /** The largest integer an IEEE double, and so every JSON parser, holds exactly. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    static final int MAX_EXACT_DIGITS = 15;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final ShardWriter out;
    private final Buffer buffer = new Buffer();
    private final JsonGenerator json;
    private final SerializedString[] names;

    JsonlRows(ShardWriter out, List<Column> columns) {
        this.out = out;
        this.names = columns.stream().map(c -> new SerializedString(c.name())).toArray(SerializedString[]::new);
        try {
            this.json = JSON.createGenerator(buffer);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a generator on a byte array does no I/O
        }
        json.setRootValueSeparator(null);
    }

    @Override
    public void write(Object[] row) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < names.length; i++) {
            json.writeFieldName(names[i]);
            value(json, row[i]);
        }
        json.writeEndObject();
        json.flush();
        buffer.write('\n');
        out.record(buffer.bytes(), 0, buffer.size());
        buffer.reset();
    }

    static void value(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            if (l >= -MAX_SAFE_INTEGER && l <= MAX_SAFE_INTEGER) {
                json.writeNumber(l);
            } else {
                json.writeString(l.toString());
            }
        } else if (value instanceof BigInteger i) {
            if (i.abs().compareTo(BigInteger.valueOf(MAX_SAFE_INTEGER)) <= 0) {
                json.writeNumber(i.longValue());
            } else {
                json.writeString(i.toString());
            }
        } else if (value instanceof BigDecimal d) {
            if (d.precision() <= MAX_EXACT_DIGITS) {
                json.writeNumber(d);
            } else {
                json.writeString(d.toPlainString());
            }
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                json.writeString(Values.text(d));
            } else {
                json.writeNumber(d);
            }
        } else if (value instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
                json.writeString(Values.text(f));
            } else {
                json.writeNumber(f);
            }
        } else if (value instanceof Collection<?> c) {
            json.writeStartArray();
            for (Object element : c) {
                value(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Object[] a) {
            value(json, Arrays.asList(a));
        } else {
            json.writeString(Values.text(value));
        }
    }

    /** Holds one line at a time; its array is handed to the shard writer without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1 << 12);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
