package io.spillway.source.bigquery;

import io.spillway.source.bigquery.FakeBigQueryServer.Field;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro file an extract job of {@link FakeBigQueryServer} writes, as BigQuery lays it out: a
 * record {@code Root}, NULLABLE columns as unions with null, REPEATED ones as arrays, RECORDs as
 * nested records; INTEGER, FLOAT, BOOLEAN and STRING columns. Compressed NONE, DEFLATE or SNAPPY.
 */
final class ExtractedAvro {
    private ExtractedAvro() {}

    static byte[] file(List<Field> fields, List<List<Object>> rows, String compression) throws IOException {
        Schema schema = record("Root", fields);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            writer.setCodec(switch (compression) {
                case "NONE" -> CodecFactory.nullCodec();
                case "DEFLATE" -> CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL);
                case "SNAPPY" -> CodecFactory.snappyCodec();
                default -> throw new IllegalArgumentException("BigQuery writes no Avro compressed " + compression);
            });
            writer.create(schema, bytes);
            for (List<Object> row : rows) {
                writer.append(record(schema, fields, row));
            }
        }
        return bytes.toByteArray();
    }

    private static Schema record(String name, List<Field> fields) {
        List<Schema.Field> avro = new ArrayList<>();
        for (Field f : fields) {
            Schema type = type(f);
            avro.add(f.mode().equals("REPEATED") ? new Schema.Field(f.name(), Schema.createArray(type))
                    : new Schema.Field(f.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), type), null,
                            Schema.Field.NULL_DEFAULT_VALUE));
        }
        return Schema.createRecord(name, null, null, false, avro);
    }

    private static Schema type(Field f) {
        return switch (f.type()) {
            case "INTEGER", "INT64" -> Schema.create(Schema.Type.LONG);
            case "FLOAT", "FLOAT64" -> Schema.create(Schema.Type.DOUBLE);
            case "BOOLEAN", "BOOL" -> Schema.create(Schema.Type.BOOLEAN);
            case "STRING" -> Schema.create(Schema.Type.STRING);
            case "RECORD" -> record(f.name(), f.fields());
            default -> throw new IllegalArgumentException("the fake writes no Avro for " + f.type());
        };
    }

    private static GenericRecord record(Schema schema, List<Field> fields, List<Object> values) {
        GenericRecord record = new GenericData.Record(schema);
        for (int i = 0; i < fields.size(); i++) {
            record.put(i, value(fields.get(i), values.get(i)));
        }
        return record;
    }

    private static Object value(Field f, Object v) {
        if (v instanceof List<?> items && f.mode().equals("REPEATED")) {
            return items.stream().map(item -> value(new Field(f.name(), f.type(), "NULLABLE", f.fields()), item)).toList();
        }
        if (v instanceof Map<?, ?> m && f.type().equals("RECORD")) {
            Schema schema = record(f.name(), f.fields());
            return record(schema, f.fields(), f.fields().stream().map(sub -> (Object) m.get(sub.name())).toList());
        }
        return v;
    }
}
