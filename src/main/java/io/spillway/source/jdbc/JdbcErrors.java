package io.spillway.source.jdbc;

import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns driver errors into Spillway's two kinds, with a one-line message that says what to fix:
 * a wrong password, an unknown database or host, a missing table or permission is the job's
 * fault ({@link JobException}, exit 2); a lost or refused connection or anything else may pass
 * on a retry ({@link ExportException}, exit 1). The password never appears in a message, even
 * where a driver would echo it.
 */
public final class JdbcErrors {
    private JdbcErrors() {}

    /** The exception for a failure to connect to {@code url} ({@code product} names the server). */
    public static RuntimeException connecting(SQLException e, JdbcUrl url, String product) {
        String reason = reason(e, url);
        String state = state(e);
        String where = product + " at " + url.address();
        if (has(e, UnknownHostException.class)) {
            return new JobException("unknown host '" + url.host() + "' for " + product + ": check the host in --source", e);
        }
        if (state.startsWith("28") || e.getErrorCode() == 1045) {
            return new JobException("cannot log in to " + where + " as '" + url.user()
                    + "': check the user and password in --source (" + reason + ")", e);
        }
        if (state.equals("3D000") || e.getErrorCode() == 1049) {
            return new JobException("database '" + url.database() + "' does not exist on " + where
                    + ": check the database in --source", e);
        }
        if (state.startsWith("08") || has(e, ConnectException.class) || has(e, SocketTimeoutException.class)
                || has(e, NoRouteToHostException.class)) {
            return new ExportException("cannot reach " + where + " (" + reason
                    + "): check the host and port in --source, or retry when the server is up", e);
        }
        return new ExportException("cannot connect to " + where + ": " + reason, e);
    }

    /** The exception for a failure while reading {@code what} (e.g. "table t of postgresql://..."). */
    public static RuntimeException reading(SQLException e, String what, JdbcUrl url) {
        String reason = reason(e, url);
        String state = state(e);
        if (state.equals("42P01") || state.equals("42S02") || e.getErrorCode() == 1146) {
            return new JobException(what + " no longer exists: it was dropped or renamed after planning ("
                    + reason + ")", e);
        }
        if (state.equals("42501") || e.getErrorCode() == 1142 || e.getErrorCode() == 1143) {
            return new JobException("no permission to read " + what + ": grant SELECT to '" + url.user() + "' ("
                    + reason + ")", e);
        }
        if (state.startsWith("08")) {
            return new ExportException("lost the connection while reading " + what + " (" + reason + ")", e);
        }
        return new ExportException("cannot read " + what + ": " + reason, e);
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : e.getSQLState();
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The driver's message on one line, without a password. */
    static String reason(Throwable e, JdbcUrl url) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        m = (nl < 0 ? m : m.substring(0, nl)).strip();
        if (url.password() != null && !url.password().isEmpty()) {
            m = m.replace(url.password(), "***");
        }
        return m.replaceFirst("^(FATAL|ERROR): ", "");
    }
}
