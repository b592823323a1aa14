package io.spillway.source.postgres;

import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot a {@code --consistent} execution reads as of: a {@code REPEATABLE READ, READ ONLY}
 * transaction on a connection of its own, named by {@code pg_export_snapshot()}. Other sessions, in
 * any process, read as of it with {@code SET TRANSACTION SNAPSHOT} while that transaction is open;
 * {@link #close()} ends it. While it is open, VACUUM keeps every row version it may see. A daemon
 * thread runs {@code SELECT 1} on the connection every {@link #KEEP_ALIVE}, so that no proxy or
 * firewall takes it for idle while the holder exports its own units or waits.
 */
final class PgSnapshot implements Source.Moment {
    /**
     * What {@code pg_export_snapshot()} returns: hex digits, '-' and a decimal count
     * ({@code 00000003-0000001B-1}; before PostgreSQL 10 {@code 000003A1-1}).
     */
    private static final Pattern ID = Pattern.compile("[0-9A-F]{8}(-[0-9A-F]{8})?-[1-9][0-9]{0,9}");
    /** The first version with {@code transaction_timeout}, which would end the holding transaction. */
    private static final int TRANSACTION_TIMEOUT = 17;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(PgSnapshot.class);

    private final Connection connection;
    private final String id;
    private final Thread keepAlive;
    private volatile boolean closed;

    private PgSnapshot(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
        this.keepAlive = new Thread(this::keepAlive, "snapshot-keep-alive");
        keepAlive.setDaemon(true);
        keepAlive.start();
    }

    private void keepAlive() {
        while (!closed) {
            try {
                Thread.sleep(KEEP_ALIVE.toMillis());
                check();
            } catch (InterruptedException e) {
                return;
            } catch (ExportException e) {
                if (!closed) {
                    log.warn("{}", e.getMessage());
                }
                return;
            }
        }
    }

    /** Opens the holding transaction on {@code connection}, which it owns from now on, and exports its snapshot. */
    static PgSnapshot hold(Connection connection, int serverMajor) throws SQLException {
        try (Statement s = connection.createStatement()) {
            connection.setAutoCommit(true);
            // the server would end a transaction left idle this long, and the snapshot with it
            s.execute("SET idle_in_transaction_session_timeout = 0");
            if (serverMajor >= TRANSACTION_TIMEOUT) {
                s.execute("SET transaction_timeout = 0");
            }
            connection.setAutoCommit(false);
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                return new PgSnapshot(connection, checkId(rs.getString(1)));
            }
        } catch (SQLException | RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    /** The id as the plan holds it, refused unless it has the form PostgreSQL gives: it is written into SQL. */
    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new JobException("'" + id + "' is not a PostgreSQL snapshot id, so the plan was not made by a"
                    + " --consistent export of PostgreSQL: start a new execution");
        }
        return id;
    }

    /** The statement that makes the current transaction (REPEATABLE READ, nothing read yet) read as of snapshot {@code id}. */
    static String importing(String id) {
        return "SET TRANSACTION SNAPSHOT '" + checkId(id) + "'";
    }

    /** Whether {@code e} says the snapshot to import is no longer there. */
    static boolean isGone(SQLException e) {
        return "22023".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains("snapshot");
    }

    /** The error of a unit whose snapshot is gone: only a new execution, with a new snapshot, can go on. */
    static JobException gone(String id, SQLException e) {
        return new JobException("the snapshot " + id + " that this --consistent execution reads is gone: the task"
                + " that planned the execution (or spillway run) held it and has ended or lost its connection; start"
                + " a new execution (a new execution id; spillway run without --execution), and give the tasks a"
                + " timeout that covers the whole execution", e);
    }

    @Override
    public String token() {
        return id;
    }

    @Override
    public synchronized void check() {
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw new ExportException("lost the snapshot " + id + " held for --consistent (" + e.getMessage()
                    + "): units not yet committed cannot read it; start a new execution", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        keepAlive.interrupt();
        synchronized (this) {
            close(connection);
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close(); // ends the transaction, and the snapshot with it
        } catch (SQLException e) {
            // the connection is broken, and the snapshot gone with it
        }
    }
}
