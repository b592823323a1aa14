package io.spillway.verify;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.CRC32C;

/** Counts the bytes read through it and keeps their CRC32C, as the writer did on the way out. Not thread safe. */
final class CheckedInput extends FilterInputStream {
    private final CRC32C crc = new CRC32C();
    private long count;

    CheckedInput(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            crc.update(b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            crc.update(b, off, n);
            count += n;
        }
        return n;
    }

    /** Reads through rather than skipping, so that skipped bytes count too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(left, buf.length));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads whatever a reader left unread, so the count and CRC cover the whole object. */
    void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // counted by read
        }
    }

    long count() {
        return count;
    }

    String crc32c() {
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }
}
