package io.spillway.source.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import org.postgresql.copy.CopyOut;

/**
 * The bytes of a running {@code COPY ... TO STDOUT} as a stream: each read fills the caller's
 * buffer with as many rows as fit, so memory holds one buffer and one row, never the table.
 * A driver error arrives as an {@link IOException} whose cause is the {@link SQLException}.
 * {@link #close()} cancels a copy that has not reached its end, and may be called twice.
 */
final class CopyOutStream extends InputStream {
    private final CopyOut copy;
    private final CsvRewriter rewriter;
    private byte[] row = new byte[0];
    private int rowLength;
    private int pos;
    private boolean done;
    private boolean header = true;

    /** Streams {@code copy}, each row after the header through {@code rewriter}. */
    CopyOutStream(CopyOut copy, CsvRewriter rewriter) {
        this.copy = copy;
        this.rewriter = rewriter;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            if (pos == rowLength) {
                if (done || !next()) {
                    break;
                }
            }
            int k = Math.min(len - n, rowLength - pos);
            System.arraycopy(row, pos, b, off + n, k);
            pos += k;
            n += k;
        }
        return n == 0 && len > 0 ? -1 : n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    private boolean next() throws IOException {
        try {
            byte[] r = copy.readFromCopy();
            if (r == null) {
                done = true;
                return false;
            }
            if (header || !rewriter.changesAnything()) {
                row = r;
                rowLength = r.length;
                header = false;
            } else {
                rewriter.rewrite(r);
                row = rewriter.bytes();
                rowLength = rewriter.length();
            }
            pos = 0;
            return true;
        } catch (SQLException e) {
            done = true;
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                throw new IOException("cannot cancel COPY: " + e.getMessage(), e);
            }
        }
    }
}
