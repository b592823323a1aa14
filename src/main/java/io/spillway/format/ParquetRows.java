package io.spillway.format;

import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.RowSink;
import io.spillway.spi.TypeDialect;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Rows as Parquet files, one file per shard, written with parquet-hadoop but no Hadoop: pages
 * are compressed by {@link ParquetCodecs} and files go straight into the shard writer's stream.
 *
 * <p>A file holds row groups of up to {@value #ROW_GROUP_BYTES} bytes (an eighth of the size
 * limit, if smaller), which is also what it holds in memory besides one page and one dictionary
 * per column. Once the bytes written plus the row group being built reach the size limit, less
 * room for the footer, the group is flushed and the file closed: files end at a row group boundary
 * and stay within the limit, except that a file always holds at least one row and its footer.
 * The group being built is counted before compression, so a file ends up to a group short of the limit.
 */
final class ParquetRows implements RowSink {
    static final long ROW_GROUP_BYTES = 64L << 20;
    private static final long MAX_FOOTER_ROOM = 1L << 20;

    private final ShardWriter out;
    private final ParquetColumns columns;
    private final CompressionCodecName codec;
    private final long rowGroupBytes;
    private final long budget;
    private ParquetWriter<Object[]> writer;
    private long fileRows;
    private boolean anyFile;

    ParquetRows(ShardWriter out, List<Column> columns, TypeDialect dialect, Compression compression) {
        this.out = out;
        this.columns = new ParquetColumns(columns, dialect);
        this.codec = ParquetCodecs.codec(compression);
        this.rowGroupBytes = Math.min(ROW_GROUP_BYTES, Math.max(1, out.maxFileSize() / 8));
        this.budget = out.maxFileSize() - Math.min(MAX_FOOTER_ROOM, out.maxFileSize() / 16);
    }

    @Override
    public void write(Object[] row) throws IOException {
        if (writer == null) {
            open();
        }
        writer.write(row);
        fileRows++;
        if (writer.getDataSize() >= budget) {
            close();
        }
    }

    /** Closes the last file; a unit without rows still gets one file, with the schema and no rows. */
    void finish() throws IOException {
        if (writer == null && !anyFile) {
            open();
        }
        if (writer != null) {
            close();
        }
    }

    private void open() throws IOException {
        writer = new Builder(new StreamOutputFile(out.beginFile()), columns)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new ParquetCodecs())
                .withCompressionCodec(codec)
                .withRowGroupSize(rowGroupBytes)
                .build();
        fileRows = 0;
        anyFile = true;
    }

    private void close() throws IOException {
        writer.close();
        writer = null;
        out.endFile(fileRows);
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final ParquetColumns columns;

        Builder(OutputFile file, ParquetColumns columns) {
            super(file);
            this.columns = columns;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(columns);
        }

        @Override
        @SuppressWarnings("deprecation")
        protected WriteSupport<Object[]> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(columns);
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final ParquetColumns columns;
        private RecordConsumer record;

        RowWriteSupport(ParquetColumns columns) {
            this.columns = columns;
        }

        @Override
        public WriteContext init(ParquetConfiguration conf) {
            return new WriteContext(columns.schema(), Map.of());
        }

        @Override
        @SuppressWarnings("deprecation")
        public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
            return new WriteContext(columns.schema(), Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.record = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            columns.write(record, row);
        }
    }
}
