package io.spillway.source.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads one column of the current row as the Java type {@code format.Values} expects, or null.
 * Chosen once per column from its declared type, so the row loop makes no type decisions.
 */
@FunctionalInterface
public interface ColumnReader {
    Object read(ResultSet rs, int column) throws SQLException;

    ColumnReader STRING = ResultSet::getString;
    ColumnReader BYTES = ResultSet::getBytes;
    ColumnReader DECIMAL = ResultSet::getBigDecimal;
    ColumnReader INT = (rs, i) -> {
        int v = rs.getInt(i);
        return v == 0 && rs.wasNull() ? null : v;
    };
    ColumnReader LONG = (rs, i) -> {
        long v = rs.getLong(i);
        return v == 0 && rs.wasNull() ? null : v;
    };
    ColumnReader DOUBLE = (rs, i) -> {
        double v = rs.getDouble(i);
        return v == 0 && rs.wasNull() ? null : v;
    };
    ColumnReader FLOAT = (rs, i) -> {
        float v = rs.getFloat(i);
        return v == 0 && rs.wasNull() ? null : v;
    };
    ColumnReader BOOLEAN = (rs, i) -> {
        boolean v = rs.getBoolean(i);
        return !v && rs.wasNull() ? null : v;
    };
}
