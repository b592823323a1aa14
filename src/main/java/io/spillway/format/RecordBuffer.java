package io.spillway.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A buffer in front of a file's stream, for one writer thread: {@code BufferedOutputStream} takes
 * a lock on every write, which for the millions of short records of a large table is a cost of
 * its own. Writes larger than the buffer go straight through.
 */
final class RecordBuffer extends OutputStream {
    private final OutputStream out;
    private final byte[] buf;
    private int count;

    RecordBuffer(OutputStream out, int size) {
        this.out = Objects.requireNonNull(out, "out is null");
        this.buf = new byte[size];
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
        if (len > buf.length - count) {
            drain();
            if (len >= buf.length) {
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
