package io.spillway.source.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.Table;
import io.spillway.spi.Column;
import io.spillway.spi.TableInfo;
import java.util.List;
import java.util.stream.Collectors;

/** A BigQuery table's schema in Spillway's terms. */
final class BigQueryColumns {
    private BigQueryColumns() {}

    /** The table as the planner sees it: name, numRows, numBytes and columns. */
    static TableInfo info(Table t) {
        List<Column> columns = t.getDefinition().getSchema() == null ? List.of()
                : t.getDefinition().getSchema().getFields().stream().map(f -> new Column(f.getName(), type(f))).toList();
        return new TableInfo(t.getTableId().getTable(), t.getNumRows() == null ? 0 : t.getNumRows().longValue(),
                t.getNumBytes() == null ? 0 : t.getNumBytes(), columns);
    }

    /** The column's type in GoogleSQL's words: INT64, ARRAY<STRING>, STRUCT<a INT64, b STRING>. */
    static String type(Field f) {
        String t;
        if (f.getSubFields() != null && !f.getSubFields().isEmpty()) {
            t = "STRUCT<" + f.getSubFields().stream().map(s -> s.getName() + " " + type(s))
                    .collect(Collectors.joining(", ")) + ">";
        } else {
            t = f.getType().getStandardType().name();
        }
        return f.getMode() == Field.Mode.REPEATED ? "ARRAY<" + t + ">" : t;
    }

    /** The table's top-level columns that CSV cannot hold: nested or repeated ones. */
    static List<String> nested(Table table) {
        FieldList fields = table.getDefinition().getSchema() == null ? null
                : table.getDefinition().getSchema().getFields();
        if (fields == null) {
            return List.of();
        }
        return fields.stream().filter(f -> f.getMode() == Field.Mode.REPEATED
                || (f.getSubFields() != null && !f.getSubFields().isEmpty())).map(Field::getName).toList();
    }
}
