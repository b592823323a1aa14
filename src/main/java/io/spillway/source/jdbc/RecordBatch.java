package io.spillway.source.jdbc;

import io.spillway.spi.RecordSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Records that a source writes itself, byte by byte (PostgreSQL's binary COPY, MySQL's row packets), into
 * one growing buffer, handed to a {@link RecordSink} in batches of about {@link #BATCH} bytes: one
 * {@link RecordSink#records} call for thousands of rows. A row that would pass the file's size limit ends
 * the batch before it, and the sink starts the next file with that row.
 *
 * <p>A subclass writes a row's bytes with {@code put} from {@code len} on, ends it with {@link #endLine},
 * and calls {@link #end} once the rows are over.
 */
public abstract class RecordBatch {
    /** Rows go to the writer in batches of about this many bytes (see {@link RecordSink#records}). */
    static final int BATCH = 256 * 1024;

    private final RecordSink out;
    /** Rows written and not yet handed to the writer: {@code batchRows} of them in {@code len} bytes. */
    protected byte[] buf = new byte[BATCH + 8192];
    protected int len;
    private int batchRows;
    /** What the writer's current file takes before its size limit, as it said after the last hand-over. */
    private long room;

    protected RecordBatch(RecordSink out) {
        this.out = out;
    }

    /** The bytes written so far (a header, a key), taken out of the buffer, which is emptied. */
    protected final byte[] take() {
        byte[] taken = Arrays.copyOf(buf, len);
        len = 0;
        return taken;
    }

    /** Before the first row: sets the record at the top of every file, if any, and asks the writer its room. */
    protected final void begin(byte[] header) {
        if (header != null) {
            out.header(header);
        }
        room = out.room();
    }

    /**
     * Ends the row written from {@code start} with a line end, and hands rows to the writer where a batch is
     * full or the row would pass the file's size limit.
     */
    protected final void endLine(int start) throws IOException {
        put((byte) '\n');
        batchRows++;
        if (len > room) {
            // this row would pass the file's size limit: the rows before it fill the file, and the
            // writer starts the next one with it (or gives it a file of its own)
            if (start > 0) {
                out.records(buf, 0, start, batchRows - 1);
            }
            out.record(buf, start, len - start);
            handedOver();
        } else if (len >= BATCH) {
            end();
        }
    }

    /** Hands the rows written so far to the writer: once the rows are over, and whenever a batch is full. */
    public void end() throws IOException {
        if (batchRows > 0) {
            out.records(buf, 0, len, batchRows);
            handedOver();
        }
    }

    private void handedOver() {
        len = 0;
        batchRows = 0;
        room = out.room();
    }

    protected final void put(byte v) {
        ensure(1);
        buf[len++] = v;
    }

    protected final void put(byte[] v) {
        put(v, 0, v.length);
    }

    protected final void put(byte[] v, int from, int n) {
        ensure(n);
        System.arraycopy(v, from, buf, len, n);
        len += n;
    }

    /** Room for {@code n} more bytes at {@code len}. */
    protected final void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
