package io.spillway.format;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import io.spillway.spi.Column;
import io.spillway.spi.RowSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CSV rows in the one dialect every source writes: RFC 4180 fields, ',' and '"', records ending
 * in LF (as PostgreSQL, DuckDB and BigQuery write them), a header row, NULL as an empty unquoted
 * field and an empty string as {@code ""}, values in the text forms of {@link Values}.
 */
final class CsvRows implements RowSink {
    private final ShardWriter out;
    private final Buffer buffer = new Buffer();
    private final CsvWriter csv = CsvWriter.builder()
            .fieldSeparator(',')
            .quoteCharacter('"')
            .quoteStrategy(QuoteStrategies.EMPTY)
            .lineDelimiter(LineDelimiter.LF)
            .autoFlush(true)
            .build(buffer, StandardCharsets.UTF_8);
    private final String[] fields;

    CsvRows(ShardWriter out, List<Column> columns) {
        this.out = out;
        this.fields = new String[columns.size()];
        csv.writeRecord(columns.stream().map(Column::name).toList());
        out.header(buffer.take());
    }

    @Override
    public void write(Object[] row) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            fields[i] = Values.text(row[i]);
        }
        csv.writeRecord(fields);
        out.record(buffer.bytes(), 0, buffer.size());
        buffer.reset();
    }

    /** Holds one record at a time; its array is handed to the shard writer without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        byte[] bytes() {
            return buf;
        }

        byte[] take() {
            byte[] b = toByteArray();
            reset();
            return b;
        }
    }
}
