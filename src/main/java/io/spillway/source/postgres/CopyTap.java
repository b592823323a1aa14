package io.spillway.source.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A connection's socket input, read from the kernel a large buffer at a time, that can take the
 * rows of a {@code COPY ... TO STDOUT} out of the stream before the driver sees them.
 *
 * <p>The driver hands over a COPY's rows one {@code readFromCopy()} call at a time: a lock, a fresh
 * array and a copy per row, which on a fast server costs the client as much as the rest of the
 * export. While a tap is {@linkplain #start started}, this stream parses the protocol's messages
 * itself: each CopyData message (the server sends exactly one per row) goes straight from this
 * buffer to the {@link Rows} it was given, and every other message (CopyOutResponse, CopyDone,
 * CommandComplete, ErrorResponse, ReadyForQuery, notices) passes to the driver unchanged, so the
 * driver still runs the protocol and reports errors; it just sees a COPY without rows. The tap ends
 * itself at the ReadyForQuery that ends the statement.
 *
 * <p>It starts only at a message boundary: nothing of an earlier response may be left unread.
 * If the first byte after the start is not a protocol message type (the connection is encrypted,
 * so this stream carries TLS or GSS records), it steps aside and passes every byte on. Not thread
 * safe: the driver reads a connection from one thread at a time.
 */
final class CopyTap extends InputStream {
    /** Takes one row: a CopyData message's payload, valid only during the call. */
    interface Rows {
        void row(byte[] b, int off, int len) throws IOException;

        /** Called once the COPY has ended well: whatever the rows still hold goes to the writer. */
        default void end() throws IOException {}
    }

    /** What may come first in answer to a COPY statement: CopyOutResponse, an error, a notice, a parameter status, a notification. */
    private static final String FIRST_TYPES = "HENSA";
    /** Rows that {@link #takeSome} hands over at most in one call (see {@link #takeRows}). */
    static final int ROWS_PER_CALL = 16_384;
    /** What {@link #takeSome} returns: the stream ended, the rows ended before another message, or more rows follow. */
    private static final int FALSE = 0;
    private static final int TRUE = 1;
    private static final int MORE = 2;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private Rows rows;
    private boolean checked;
    private long passing;
    private Exception failure;
    private long taken;

    CopyTap(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /**
     * Takes the rows of the next statement's COPY out of the stream; returns false (and takes
     * nothing) if bytes of an earlier response are still unread, so the driver gets them all.
     */
    boolean start(Rows rows) {
        if (pos < limit || passing > 0 || failure != null) {
            return false;
        }
        this.rows = rows;
        this.checked = false;
        return true;
    }

    /** Whether the tap is taking rows: from {@link #start} to the ReadyForQuery after the COPY. */
    boolean active() {
        return rows != null;
    }

    /** Stops taking rows (when the statement failed in a way the protocol did not end). */
    void stop() {
        rows = null;
    }

    /** How many rows the tap has taken out of the stream, in all. */
    long taken() {
        return taken;
    }

    /** What a {@link Rows} threw: the driver saw only a broken connection. */
    Exception failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw new IOException("the connection was abandoned in the middle of a COPY", failure);
        }
        if (len == 0) {
            return 0;
        }
        if (rows != null && passing == 0 && !takeRows()) {
            return -1;
        }
        if (pos == limit) {
            if (passing == 0 && len >= buf.length) {
                return in.read(b, off, len);
            }
            pos = 0;
            limit = 0;
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return -1;
            }
            limit = n;
        }
        int n = Math.min(len, limit - pos);
        if (passing > 0) {
            n = (int) Math.min(n, passing);
            passing -= n;
        }
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * At a message boundary while tapping: hands every CopyData message to the rows, up to the
     * next other message, which it leaves for the driver ({@link #passing} is its length). Returns
     * false at the end of the stream.
     *
     * <p>The rows go over in calls of at most {@link #ROWS_PER_CALL}, not in one loop as long as the COPY.
     * A thread in a long loop runs the code compiled for it while it was in it (on-stack replacement);
     * when another thread in the same code meets a value of a new kind, the JIT throws that code away,
     * and the first thread goes on in it with its calls no longer linked to compiled code: every row then
     * runs interpreted. In MariaDB's loop of the same shape, with two tasks in one JVM, that took one of the
     * two threads to 1.5 to 2.5 times its CPU in about one run in four (docs/benchmarks.md). A loop of a few
     * hundred calls is not compiled that way, and each call enters the newest code.
     */
    private boolean takeRows() throws IOException {
        int state;
        do {
            state = takeSome(ROWS_PER_CALL);
        } while (state == MORE);
        return state == TRUE;
    }

    /** One call of {@link #takeRows}: at most {@code max} rows, then {@link #MORE} if the next message is another row. */
    private int takeSome(int max) throws IOException {
        for (int i = 0; i < max; i++) {
            if (!fill(5)) {
                rows = null; // the driver sees the stream end where it ends
                return limit > pos ? TRUE : FALSE;
            }
            byte type = buf[pos];
            int length = ((buf[pos + 1] & 0xff) << 24) | ((buf[pos + 2] & 0xff) << 16) | ((buf[pos + 3] & 0xff) << 8)
                    | (buf[pos + 4] & 0xff);
            if (!checked) {
                checked = true;
                if (FIRST_TYPES.indexOf(type) < 0 || length < 4 || length > 1 << 20) {
                    rows = null; // not the plain protocol: an encrypted connection
                    return TRUE;
                }
            }
            if (type != 'd') {
                passing = 1L + length;
                if (type == 'Z') {
                    rows = null;
                }
                return TRUE;
            }
            if (length < 4 || !fill(1 + length)) {
                rows = null;
                return limit > pos ? TRUE : FALSE;
            }
            try {
                rows.row(buf, pos + 5, length - 4);
            } catch (IOException | RuntimeException e) {
                failure = e;
                rows = null;
                throw new IOException("the COPY's rows could not be written", e);
            }
            pos += 1 + length;
            taken++;
        }
        return MORE;
    }

    /** Makes at least {@code n} bytes readable from {@link #pos}, growing the buffer for a long message. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (buf.length < n) {
            buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        }
        if (pos + n > buf.length) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                return false;
            }
            limit += r;
        }
        return true;
    }

    @Override
    public int available() throws IOException {
        if (failure != null) {
            return 0;
        }
        if (rows != null && passing == 0) {
            return 0; // what is buffered may be rows the driver will never see
        }
        int buffered = limit - pos;
        return passing > 0 ? (int) Math.min(buffered, passing) : buffered > 0 ? buffered : in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
