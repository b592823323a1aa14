package io.spillway.format;

import java.io.IOException;

/**
 * Writes rows that a source reads one by one (a JDBC result set) in the shard writer's format.
 * Values come in column order as the plain Java types {@link Values} lists; the writer renders
 * them: CSV ({@link CsvRows}), JSON lines ({@link JsonlRows}), Parquet ({@link ParquetRows}) or
 * Avro ({@link AvroRows}), whose columns take their types from the source's type names
 * ({@link ColumnType}); a value that does not fit its Parquet or Avro column is a
 * {@code JobException} naming the column. Not thread safe;
 * {@link ShardWriter#finish()} flushes what it holds.
 */
public interface RowWriter {
    void write(Object[] row) throws IOException;
}
