package io.spillway.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A buffer in front of a file's stream, for one writer thread: {@code BufferedOutputStream} takes
 * a lock on every write, which for the millions of short records of a large table is a cost of
 * its own. Writes of {@link #DIRECT} bytes or more (batches of records), or of the buffer's size
 * if it is smaller, go straight through after what is buffered.
 */
final class RecordBuffer extends OutputStream {
    static final int DIRECT = 64 * 1024;

    private final OutputStream out;
    private final byte[] buf;
    private final int direct;
    private int count;

    RecordBuffer(OutputStream out, int size) {
        this.out = Objects.requireNonNull(out, "out is null");
        this.buf = new byte[size];
        this.direct = Math.min(DIRECT, size);
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            drain();
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= direct || len > buf.length - count) {
            drain();
            if (len >= direct) {
                out.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try (OutputStream o = out) {
            drain();
        }
    }
}
