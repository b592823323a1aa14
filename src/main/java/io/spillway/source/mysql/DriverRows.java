package io.spillway.source.mysql;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import org.mariadb.jdbc.ClientPreparedStatement;
import org.mariadb.jdbc.ServerPreparedStatement;
import org.mariadb.jdbc.client.ReadableByteBuf;
import org.mariadb.jdbc.client.result.Result;
import org.mariadb.jdbc.client.socket.Reader;

/**
 * The rows of a MariaDB Connector/J result as the server sent them: the payloads of its row packets.
 * A client-side prepared statement (the driver's default) reads the text protocol; a server-side one
 * (the driver's {@code prepareInternal} with binary results, or {@code useServerPrepStmts}) the binary one.
 *
 * <p>The rows the driver has already fetched are taken from its row buffer ({@code Result.rowBuf},
 * a protected field) as {@code next()} moves through them. The rest are read from the driver's own
 * packet reader ({@code Reader.readReusablePacket}, which reads each packet into one reused array)
 * instead of through {@code next()}, which makes a new array for every row: 5M rows were about 0.5 GB
 * of garbage, which a default JVM answers by growing its heap to 300-475 MB. The result's last packet
 * (its end, or an error) is handed to the driver's own {@code Result.readNext}, so the driver records
 * the server's status, raises the error, and knows the result is read, as if it had read it all.
 * Where a later driver lacks any of these members, the rows are read through {@code next()}, and
 * where it lacks the row buffer, {@link #of} is empty and the caller reads the getters.
 */
final class DriverRows {
    /** What a row's packet is handed to. */
    interface Sink {
        void row(byte[] b, int from, int to) throws IOException;
    }

    private static final int MAX_PACKET = 0xffffff;
    private static final VarHandle ROW_BUF;
    private static final VarHandle READER;
    private static final VarHandle DATA_SIZE;
    private static final VarHandle ROW_POINTER;
    private static final VarHandle LOADED;
    private static final MethodHandle READ_NEXT;

    static {
        VarHandle rowBuf = null;
        VarHandle reader = null;
        VarHandle dataSize = null;
        VarHandle rowPointer = null;
        VarHandle loaded = null;
        MethodHandle readNext = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(Result.class, MethodHandles.lookup());
            rowBuf = l.findVarHandle(Result.class, "rowBuf", ReadableByteBuf.class);
            reader = l.findVarHandle(Result.class, "reader", Reader.class);
            dataSize = l.findVarHandle(Result.class, "dataSize", int.class);
            rowPointer = l.findVarHandle(Result.class, "rowPointer", int.class);
            loaded = l.findVarHandle(Result.class, "loaded", boolean.class);
            readNext = l.findVirtual(Result.class, "readNext", MethodType.methodType(boolean.class, byte[].class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            readNext = null; // read through next() (or, without rowBuf, not at all)
        }
        ROW_BUF = rowBuf;
        READER = reader;
        DATA_SIZE = dataSize;
        ROW_POINTER = rowPointer;
        LOADED = loaded;
        READ_NEXT = readNext;
    }

    private final Result rs;
    private final ReadableByteBuf row;

    private DriverRows(Result rs, ReadableByteBuf row) {
        this.rs = rs;
        this.row = row;
    }

    /** Whether this driver's rows can be read at all. */
    static boolean available() {
        return ROW_BUF != null;
    }

    /** Whether the results of {@code statement} come in the text protocol, as {@link TextRecords} reads them. */
    static boolean readable(Statement statement) {
        return ROW_BUF != null && statement instanceof ClientPreparedStatement;
    }

    /** Whether the results of {@code statement} come in the binary protocol, as {@link BinaryRows} reads them. */
    static boolean binary(Statement statement) {
        return ROW_BUF != null && statement instanceof ServerPreparedStatement;
    }

    /** The rows of {@code rs}, a result of {@code statement} not yet moved, if they are rows of either protocol this class can read. */
    static Optional<DriverRows> of(Statement statement, ResultSet rs) {
        if (!(readable(statement) || binary(statement)) || !(rs instanceof Result r)) {
            return Optional.empty();
        }
        return Optional.ofNullable((ReadableByteBuf) ROW_BUF.get(r)).map(b -> new DriverRows(r, b));
    }

    /** Hands every row of the result to {@code out}, in order; the result is then read to its end. */
    void forEach(Sink out) throws IOException, SQLException {
        if (READ_NEXT == null) {
            while (rs.next()) {
                out.row(row.buf(), row.pos(), row.pos() + row.readableBytes());
            }
            return;
        }
        while ((int) ROW_POINTER.get(rs) < (int) DATA_SIZE.get(rs) - 1) {
            rs.next(); // a row the driver holds already: next() only moves to it
            out.row(row.buf(), row.pos(), row.pos() + row.readableBytes());
        }
        if ((boolean) LOADED.get(rs)) {
            return;
        }
        Reader reader = (Reader) READER.get(rs);
        // in calls of at most ROWS_PER_CALL rows, so that no thread runs long in code the JIT has
        // replaced since it entered it (see CopyTap.takeRows, where the same loop is explained)
        while (some(reader, out, ROWS_PER_CALL)) {
            // the next call
        }
    }

    /** Rows that {@link #some} hands over at most in one call. */
    private static final int ROWS_PER_CALL = 16_384;

    /** Reads at most {@code max} rows off the wire into {@code out}; false once the result has ended. */
    private boolean some(Reader reader, Sink out, int max) throws IOException, SQLException {
        for (int i = 0; i < max; i++) {
            ReadableByteBuf p = reader.readReusablePacket(false);
            byte[] b = p.buf();
            int from = p.pos();
            int to = from + p.readableBytes();
            if (to - from == MAX_PACKET) { // a row of 16 MiB or more comes in several packets
                byte[] whole = Arrays.copyOfRange(b, from, to);
                int n;
                do {
                    p = reader.readReusablePacket(false);
                    n = p.readableBytes();
                    whole = Arrays.copyOf(whole, whole.length + n);
                    System.arraycopy(p.buf(), p.pos(), whole, whole.length - n, n);
                } while (n == MAX_PACKET);
                out.row(whole, 0, whole.length);
                continue;
            }
            int first = b[from] & 0xff;
            // 0xfe in a packet below 16 MiB is the end (a field of 2^24 bytes or more cannot be in one), 0xff an error
            if (first == 0xff || first == 0xfe) {
                end(Arrays.copyOfRange(b, from, to));
                return false;
            }
            out.row(b, from, to);
        }
        return true;
    }

    /** The driver reads the result's last packet: it records the status, or throws the server's error. */
    private void end(byte[] packet) throws IOException, SQLException {
        try {
            boolean row = (boolean) READ_NEXT.invokeExact(rs, packet);
            if (row || !(boolean) LOADED.get(rs)) {
                throw new IllegalStateException("MariaDB Connector/J did not take the end of a result as its end");
            }
        } catch (IOException | SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
