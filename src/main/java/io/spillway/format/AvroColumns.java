package io.spillway.format;

import io.spillway.spi.Column;
import io.spillway.spi.TypeDialect;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * The Avro schema of a row, mapped from the source's column types through {@link ColumnType} as
 * {@link ParquetColumns} maps them for Parquet, and the encoding of one row in it. Every field is a
 * union of null and its type, null by default; array items are nullable too.
 *
 * <table>
 * <caption>Mapping</caption>
 * <tr><th>ColumnType</th><th>Avro</th></tr>
 * <tr><td>BOOLEAN</td><td>boolean</td></tr>
 * <tr><td>INT8, INT16, INT32, UINT8, UINT16</td><td>int</td></tr>
 * <tr><td>INT64, UINT32</td><td>long</td></tr>
 * <tr><td>UINT64</td><td>bytes with decimal(20, 0)</td></tr>
 * <tr><td>FLOAT, DOUBLE</td><td>float, double</td></tr>
 * <tr><td>DECIMAL(p,s)</td><td>bytes with decimal(p, s)</td></tr>
 * <tr><td>STRING</td><td>string</td></tr>
 * <tr><td>JSON</td><td>string with {@code "sqlType": "JSON"}, as BigQuery writes it</td></tr>
 * <tr><td>BINARY</td><td>bytes</td></tr>
 * <tr><td>UUID</td><td>string with uuid</td></tr>
 * <tr><td>DATE</td><td>int with date</td></tr>
 * <tr><td>TIME, TIME_UTC</td><td>long with time-micros (TIME_UTC's values in UTC)</td></tr>
 * <tr><td>TIMESTAMP</td><td>long with local-timestamp-micros</td></tr>
 * <tr><td>TIMESTAMP_UTC</td><td>long with timestamp-micros</td></tr>
 * <tr><td>LIST</td><td>array of the element's mapping</td></tr>
 * </table>
 *
 * Field names are the column names where Avro's rules allow ({@code [A-Za-z_][A-Za-z0-9_]*}); in
 * others every other character becomes {@code _}, a leading digit gets a {@code _} before it, a
 * name already taken gets {@code _2}, {@code _3}..., and the field keeps the column's own name in
 * its {@code sourceName} property. A value that does not fit its column stops the export with a
 * {@code JobException} that names the column. The schema is this writer's own: {@link #setSchema}
 * ignores what it is given.
 */
final class AvroColumns implements DatumWriter<Object[]> {
    private final List<Column> columns;
    private final Schema schema;
    private final AvroValue[] writers;

    AvroColumns(List<Column> columns, TypeDialect dialect) {
        this.columns = List.copyOf(columns);
        List<Schema.Field> fields = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        this.writers = new AvroValue[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnType type = ColumnType.parse(columns.get(i).type(), dialect);
            String column = columns.get(i).name();
            Schema.Field field = new Schema.Field(name(column, taken), nullable(type(type)), null,
                    Schema.Field.NULL_DEFAULT_VALUE);
            if (!field.name().equals(column)) {
                field.addProp("sourceName", column);
            }
            fields.add(field);
            writers[i] = AvroValue.of(type);
        }
        this.schema = Schema.createRecord("spillway", null, null, false, fields);
    }

    Schema schema() {
        return schema;
    }

    @Override
    public void setSchema(Schema schema) {}

    @Override
    public void write(Object[] row, Encoder out) throws IOException {
        if (row.length != writers.length) {
            throw new IllegalArgumentException("a row of " + row.length + " values for " + writers.length + " columns");
        }
        for (int i = 0; i < writers.length; i++) {
            try {
                AvroValue.nullable(out, row[i], writers[i]);
            } catch (Exact.Misfit e) {
                throw e.in(columns.get(i));
            }
        }
    }

    static Schema type(ColumnType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INT8, INT16, INT32, UINT8, UINT16 -> Schema.create(Schema.Type.INT);
            case INT64, UINT32 -> Schema.create(Schema.Type.LONG);
            case UINT64 -> LogicalTypes.decimal(20, 0).addToSchema(Schema.create(Schema.Type.BYTES));
            case FLOAT -> Schema.create(Schema.Type.FLOAT);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case DECIMAL -> LogicalTypes.decimal(type.precision(), type.scale())
                    .addToSchema(Schema.create(Schema.Type.BYTES));
            case STRING -> Schema.create(Schema.Type.STRING);
            case JSON -> {
                Schema json = Schema.create(Schema.Type.STRING);
                json.addProp("sqlType", "JSON");
                yield json;
            }
            case BINARY -> Schema.create(Schema.Type.BYTES);
            case UUID -> LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME, TIME_UTC -> LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP -> LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP_UTC -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case LIST -> Schema.createArray(nullable(type(type.element())));
        };
    }

    private static Schema nullable(Schema type) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
    }

    /** The column's name as Avro allows it, not yet in {@code taken}; added to it. */
    static String name(String column, Set<String> taken) {
        String base = column.replaceAll("[^A-Za-z0-9_]", "_");
        if (base.isEmpty() || Character.isDigit(base.charAt(0))) {
            base = "_" + base;
        }
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }
}
