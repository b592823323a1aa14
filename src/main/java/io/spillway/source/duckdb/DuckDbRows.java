package io.spillway.source.duckdb;

import io.spillway.source.jdbc.ColumnReader;
import io.spillway.source.jdbc.JdbcSource;
import io.spillway.spi.Column;
import io.spillway.spi.UnitSink;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The row path of a DuckDB table, for the formats DuckDB cannot write itself (Avro): the rows are
 * read through the driver, streamed (the connection has {@code jdbc_stream_results}), into the
 * shard writer's row writer. Values come in the Java types {@code format.Values} lists: timestamps
 * without time zone as {@code LocalDateTime} (the driver's {@code java.sql.Timestamp} would move
 * the times that the JVM's time zone skips), blobs as {@code byte[]}, lists as {@code List}s. The
 * select list ({@link DuckDbSelect}) makes text of the rest.
 */
final class DuckDbRows {
    private DuckDbRows() {}

    static void export(Connection connection, String select, List<Column> columns, UnitSink out) throws Exception {
        List<ColumnReader> readers = columns.stream().map(c -> reader(c.type())).toList();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(select)) {
            JdbcSource.stream(rs, readers, out.rows(columns));
        }
    }

    private static ColumnReader reader(String type) {
        if (DuckDbSelect.isLocalTimestamp(type.toUpperCase(Locale.ROOT).trim())) {
            return (rs, i) -> rs.getObject(i, LocalDateTime.class);
        }
        return (rs, i) -> plain(rs.getObject(i));
    }

    private static Object plain(Object value) throws SQLException {
        if (value instanceof Array array) {
            List<Object> items = new ArrayList<>();
            for (Object item : (Object[]) array.getArray()) {
                items.add(plain(item));
            }
            return items;
        }
        if (value instanceof Blob blob) {
            return blob.getBytes(1, Math.toIntExact(blob.length()));
        }
        return value;
    }
}
