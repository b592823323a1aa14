package io.spillway.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Reads Avro container files back with Avro's own reader and its logical type conversions, values
 * as plain Java types: strings as {@code String}, bytes as {@code ByteBuffer} (equal by content),
 * arrays as lists, decimals as {@code BigDecimal}, dates and times as {@code java.time}, uuids as {@code UUID}.
 */
public final class AvroFiles {
    private static final GenericData MODEL = new GenericData();

    static {
        MODEL.addLogicalTypeConversion(new Conversions.DecimalConversion());
        MODEL.addLogicalTypeConversion(new Conversions.UUIDConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.DateConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        MODEL.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    }

    /** A file's schema, its codec as its header names it (null, snappy, deflate, zstandard), and its rows in field order. */
    public record Read(Schema schema, String codec, List<List<Object>> rows) {}

    private AvroFiles() {}

    public static Read read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    public static Read read(byte[] file) throws IOException {
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(file),
                new GenericDatumReader<>(null, null, MODEL))) {
            List<List<Object>> rows = new ArrayList<>();
            for (GenericRecord record : reader) {
                Object[] row = new Object[record.getSchema().getFields().size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = plain(record.get(i));
                }
                rows.add(Arrays.asList(row));
            }
            return new Read(reader.getSchema(), reader.getMetaString("avro.codec"), rows);
        }
    }

    private static Object plain(Object value) {
        if (value instanceof Utf8 || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(AvroFiles::plain).toList());
        }
        if (value instanceof Map<?, ?> || value instanceof GenericRecord) {
            throw new IllegalArgumentException("Spillway writes no maps or records: " + value);
        }
        return value;
    }

    /** What a value written into a column of {@code sourceType} reads back as. */
    public static Object expected(String sourceType, Object value) {
        return expected(ColumnType.parse(sourceType), value);
    }

    private static Object expected(ColumnType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type.kind()) {
            case INT8, INT16, INT32, UINT8, UINT16 -> ((Number) v).intValue();
            case INT64, UINT32 -> ((Number) v).longValue();
            case UINT64 -> new java.math.BigDecimal(v.toString());
            case DECIMAL -> new java.math.BigDecimal(v.toString()).setScale(type.scale());
            case STRING, JSON -> Values.text(v);
            case BINARY -> ByteBuffer.wrap((byte[]) v);
            case TIMESTAMP_UTC -> v instanceof java.time.OffsetDateTime t ? t.toInstant()
                    : v instanceof java.time.ZonedDateTime t ? t.toInstant() : v;
            case LIST -> new ArrayList<>(((List<?>) v).stream().map(e -> expected(type.element(), e)).toList());
            default -> v;
        };
    }
}
