package io.spillway.source.mysql;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.mariadb.jdbc.ClientPreparedStatement;
import org.mariadb.jdbc.client.ReadableByteBuf;
import org.mariadb.jdbc.client.result.Result;

/**
 * The current row of a MariaDB Connector/J result as the server sent it: the payload of a
 * text-protocol row packet, which the driver keeps in its {@code Result.rowBuf} (a protected field,
 * read once per result) until the next {@code next()}. A client-side prepared statement (the
 * driver's default) always reads the text protocol; a server-side one ({@code useServerPrepStmts})
 * reads the binary protocol, and gets none. Empty too when a later driver no longer has the field:
 * the caller then reads the rows through {@code ResultSet} getters.
 */
final class DriverRows {
    private static final VarHandle ROW_BUF = rowBuf();

    private final ReadableByteBuf row;

    private DriverRows(ReadableByteBuf row) {
        this.row = row;
    }

    private static VarHandle rowBuf() {
        try {
            return MethodHandles.privateLookupIn(Result.class, MethodHandles.lookup())
                    .findVarHandle(Result.class, "rowBuf", ReadableByteBuf.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether this driver's rows can be read at all. */
    static boolean available() {
        return ROW_BUF != null;
    }

    /** Whether the results of {@code statement} come in the text protocol, as this class reads them. */
    static boolean readable(Statement statement) {
        return ROW_BUF != null && statement instanceof ClientPreparedStatement;
    }

    /** The rows of {@code rs}, a result of {@code statement}, if they are text-protocol rows this class can read. */
    static Optional<DriverRows> of(Statement statement, ResultSet rs) {
        if (!readable(statement) || !(rs instanceof Result r)) {
            return Optional.empty();
        }
        return Optional.ofNullable((ReadableByteBuf) ROW_BUF.get(r)).map(DriverRows::new);
    }

    /** The packet of the row {@code next()} moved to; its fields start at {@link #from()} and end at {@link #to()}. */
    byte[] bytes() {
        return row.buf();
    }

    int from() {
        return row.pos();
    }

    int to() {
        return row.pos() + row.readableBytes();
    }
}
