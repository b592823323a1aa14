package io.spillway.spi;

import java.io.IOException;

/**
 * Rows a source reads one by one (a JDBC result set), in column order as plain Java values (String,
 * Boolean, integers, BigDecimal, Double, java.time values, byte[], collections; null for NULL),
 * rendered by the sink in its format. A value that does not fit its Parquet or Avro column is a
 * {@link JobException} naming the column.
 */
public interface RowSink {
    void write(Object[] row) throws IOException;
}
