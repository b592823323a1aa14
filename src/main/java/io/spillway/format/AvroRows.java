package io.spillway.format;

import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.RowSink;
import io.spillway.spi.TypeDialect;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Rows as Avro object container files, one file per shard, written by Avro's {@code DataFileWriter}
 * straight into the shard writer's stream, with the schema of {@link AvroColumns} and blocks
 * compressed by the shard writer's codec: snappy, deflate, zstd or none.
 *
 * <p>A writer holds one block of up to {@value #BLOCK_BYTES} bytes before compression (a sixteenth
 * of the size limit, if smaller) and one row, whatever the size of the table. Each row is encoded
 * first; a new file starts when the file so far (its header and written blocks), plus the block
 * being built and this row as if they did not compress, would pass the size limit. Files end up to
 * a block short of the limit and stay within it, except that a file always holds at least one row.
 */
final class AvroRows implements RowSink {
    static final int BLOCK_BYTES = 1 << 20;

    private final ShardWriter out;
    private final AvroColumns columns;
    private final CodecFactory codec;
    private final int blockBytes;
    private final Row row = new Row();
    private final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(row, null);
    private DataFileWriter<Object[]> writer;
    private long written;
    private long pending;
    private long fileRows;
    private boolean anyFile;

    AvroRows(ShardWriter out, List<Column> columns, TypeDialect dialect, Compression compression) {
        this.out = out;
        this.columns = new AvroColumns(columns, dialect);
        this.codec = codec(compression);
        this.blockBytes = (int) Math.max(64, Math.min(BLOCK_BYTES, out.maxFileSize() / 16));
    }

    static CodecFactory codec(Compression compression) {
        return switch (compression) {
            case NONE -> CodecFactory.nullCodec();
            case SNAPPY -> CodecFactory.snappyCodec();
            case DEFLATE -> CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL);
            case ZSTD -> CodecFactory.zstandardCodec(Codecs.ZSTD_LEVEL);
            case GZIP -> throw new IllegalArgumentException("Avro has no gzip codec: deflate is its equivalent");
        };
    }

    @Override
    public void write(Object[] values) throws IOException {
        row.reset();
        columns.write(values, encoder);
        encoder.flush();
        if (writer != null && fileRows > 0 && written + worstCase(pending + row.size()) > out.maxFileSize()) {
            close();
        }
        if (writer == null) {
            open();
        }
        writer.appendEncoded(row.bytes());
        fileRows++;
        pending += row.size();
        if (pending >= blockBytes) { // the writer has written the block: sync() only says where the file ends
            written = writer.sync();
            pending = 0;
        }
    }

    /** The most that {@code bytes} of rows can take in a file as one block: compressed (at worst a little larger), framed. */
    private static long worstCase(long bytes) {
        return bytes + bytes / 4 + 128;
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
        writer = new DataFileWriter<>(columns).setCodec(codec).setSyncInterval(blockBytes);
        writer.create(columns.schema(), new KeepOpen(out.beginFile()));
        written = writer.sync();
        pending = 0;
        fileRows = 0;
        anyFile = true;
    }

    private void close() throws IOException {
        writer.close();
        writer = null;
        out.endFile(fileRows);
    }

    /** One encoded row, reused. */
    private static final class Row extends ByteArrayOutputStream {
        ByteBuffer bytes() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /** The shard writer's stream, which the Avro writer writes and flushes but must leave open for the shard writer to commit. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
