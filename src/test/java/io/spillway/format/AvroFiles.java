package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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

    /**
     * Every row of a table published under {@code dest}, sorted by its first column, after checking
     * each file its manifest lists: named {@code <table>_<12 digits>.avro}, at most {@code maxBytes},
     * a container compressed with {@code codec} that holds as many rows as the manifest says.
     */
    @SuppressWarnings("unchecked")
    public static List<List<Object>> published(Path dest, String table, String codec, long maxBytes) throws IOException {
        Manifest manifest = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
        List<List<Object>> rows = new ArrayList<>();
        for (Manifest.File f : manifest.files()) {
            assertThat(f.name()).matches(Pattern.quote(table) + "_\\d{12}\\.avro");
            assertThat(f.bytes()).as(f.name()).isLessThanOrEqualTo(maxBytes);
            Read read = read(dest.resolve(Layout.tableDir(table) + f.name()));
            assertThat(read.codec()).as(f.name()).isEqualTo(codec);
            assertThat(read.rows()).as(f.name()).hasSize(Math.toIntExact(f.rows()));
            rows.addAll(read.rows());
        }
        rows.sort(Comparator.comparing(r -> (Comparable<Object>) r.get(0)));
        return rows;
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
