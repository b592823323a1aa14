package io.spillway.format;

import static org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit.MICROS;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import io.spillway.spi.Column;
import io.spillway.spi.JobException;
import io.spillway.spi.TypeDialect;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of a row, mapped from the source's column types through {@link ColumnType},
 * and the writing of one row into it. Every column is optional (nullable); arrays are standard
 * three-level LISTs with nullable elements.
 *
 * <table>
 * <caption>Mapping</caption>
 * <tr><th>ColumnType</th><th>Parquet</th></tr>
 * <tr><td>BOOLEAN</td><td>BOOLEAN</td></tr>
 * <tr><td>INT8, INT16, INT32, UINT8, UINT16, UINT32</td><td>INT32 with INT(bits, signed)</td></tr>
 * <tr><td>INT64, UINT64</td><td>INT64 with INT(64, signed)</td></tr>
 * <tr><td>FLOAT, DOUBLE</td><td>FLOAT, DOUBLE</td></tr>
 * <tr><td>DECIMAL(p,s)</td><td>DECIMAL(p,s) on INT32 (p &le; 9), INT64 (p &le; 18), else FIXED_LEN_BYTE_ARRAY</td></tr>
 * <tr><td>STRING, JSON</td><td>BINARY with STRING or JSON</td></tr>
 * <tr><td>BINARY</td><td>BINARY</td></tr>
 * <tr><td>UUID</td><td>FIXED_LEN_BYTE_ARRAY(16) with UUID</td></tr>
 * <tr><td>DATE</td><td>INT32 with DATE</td></tr>
 * <tr><td>TIME, TIME_UTC</td><td>INT64 with TIME(MICROS, adjusted to UTC false/true)</td></tr>
 * <tr><td>TIMESTAMP, TIMESTAMP_UTC</td><td>INT64 with TIMESTAMP(MICROS, adjusted to UTC false/true)</td></tr>
 * <tr><td>LIST</td><td>LIST of the element's mapping</td></tr>
 * </table>
 *
 * A value that does not fit its column (text in an integer column, a fraction finer than the
 * decimal's scale) stops the export with a {@link JobException} that names the column: nothing
 * is rounded or cut silently.
 */
final class ParquetColumns {
    private final List<Column> columns;
    private final MessageType schema;
    private final ParquetValue[] writers;

    ParquetColumns(List<Column> columns, TypeDialect dialect) {
        this.columns = List.copyOf(columns);
        List<Type> fields = new ArrayList<>();
        this.writers = new ParquetValue[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnType type = ColumnType.parse(columns.get(i).type(), dialect);
            fields.add(field(type, columns.get(i).name()));
            writers[i] = ParquetValue.of(type);
        }
        this.schema = new MessageType("spillway", fields);
    }

    MessageType schema() {
        return schema;
    }

    void write(RecordConsumer record, Object[] row) {
        if (row.length != writers.length) {
            throw new IllegalArgumentException("a row of " + row.length + " values for " + writers.length + " columns");
        }
        record.startMessage();
        for (int i = 0; i < writers.length; i++) {
            if (row[i] != null) {
                String name = columns.get(i).name();
                record.startField(name, i);
                try {
                    writers[i].write(record, row[i]);
                } catch (Exact.Misfit e) {
                    throw e.in(columns.get(i));
                }
                record.endField(name, i);
            }
        }
        record.endMessage();
    }

    static Type field(ColumnType type, String name) {
        return switch (type.kind()) {
            case BOOLEAN -> Types.optional(BOOLEAN).named(name);
            case INT8 -> integer(INT32, 8, true, name);
            case INT16 -> integer(INT32, 16, true, name);
            case INT32 -> integer(INT32, 32, true, name);
            case INT64 -> integer(INT64, 64, true, name);
            case UINT8 -> integer(INT32, 8, false, name);
            case UINT16 -> integer(INT32, 16, false, name);
            case UINT32 -> integer(INT32, 32, false, name);
            case UINT64 -> integer(INT64, 64, false, name);
            case FLOAT -> Types.optional(FLOAT).named(name);
            case DOUBLE -> Types.optional(DOUBLE).named(name);
            case DECIMAL -> decimal(type, name);
            case STRING -> Types.optional(BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            case JSON -> Types.optional(BINARY).as(LogicalTypeAnnotation.jsonType()).named(name);
            case BINARY -> Types.optional(BINARY).named(name);
            case UUID -> Types.optional(FIXED_LEN_BYTE_ARRAY).length(16).as(LogicalTypeAnnotation.uuidType()).named(name);
            case DATE -> Types.optional(INT32).as(LogicalTypeAnnotation.dateType()).named(name);
            case TIME -> Types.optional(INT64).as(LogicalTypeAnnotation.timeType(false, MICROS)).named(name);
            case TIME_UTC -> Types.optional(INT64).as(LogicalTypeAnnotation.timeType(true, MICROS)).named(name);
            case TIMESTAMP -> Types.optional(INT64).as(LogicalTypeAnnotation.timestampType(false, MICROS)).named(name);
            case TIMESTAMP_UTC -> Types.optional(INT64).as(LogicalTypeAnnotation.timestampType(true, MICROS)).named(name);
            case LIST -> Types.optionalGroup().as(LogicalTypeAnnotation.listType())
                    .addField(Types.repeatedGroup().addField(field(type.element(), "element")).named("list"))
                    .named(name);
        };
    }

    private static Type integer(PrimitiveTypeName physical, int bits, boolean signed, String name) {
        return Types.optional(physical).as(LogicalTypeAnnotation.intType(bits, signed)).named(name);
    }

    private static Type decimal(ColumnType type, String name) {
        LogicalTypeAnnotation decimal = LogicalTypeAnnotation.decimalType(type.scale(), type.precision());
        if (type.precision() <= 9) {
            return Types.optional(INT32).as(decimal).named(name);
        }
        if (type.precision() <= 18) {
            return Types.optional(INT64).as(decimal).named(name);
        }
        return Types.optional(FIXED_LEN_BYTE_ARRAY).length(ParquetValue.decimalBytes(type.precision())).as(decimal)
                .named(name);
    }
}
