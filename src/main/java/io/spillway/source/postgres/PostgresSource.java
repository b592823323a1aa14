package io.spillway.source.postgres;

import io.spillway.source.jdbc.Jdbc;
import io.spillway.source.jdbc.JdbcErrors;
import io.spillway.source.jdbc.JdbcSource;
import io.spillway.source.jdbc.JdbcUrl;
import io.spillway.source.jdbc.KeyPredicate;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.RecordSink;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.spi.UnitSink;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A PostgreSQL schema: {@code postgresql://USER[:PASS]@HOST[:PORT]/DB[?schema=public&views=true]}
 * or {@code jdbc:postgresql://...}; other options go to the driver (e.g. {@code sslmode=require}).
 *
 * <p>For CSV each unit is one {@code COPY ... TO STDOUT} inside its own {@code REPEATABLE READ, READ
 * ONLY} transaction: in binary, written as CSV by {@link BinaryCsv}, where every column is of a type it
 * writes, else {@code (FORMAT csv, HEADER)} fixed by {@link CsvRewriter}; its rows are taken from the
 * socket by the connection's {@link CopyTap} and streamed row by row into the shard writer. Other
 * formats read the same snapshot through a cursor (autocommit off, a fetch size) into typed rows.
 * Tables, partitioned tables (as a whole, not their partitions) are listed; views, materialized
 * views and foreign tables only with {@code views=true}. A large table is cut by its primary key,
 * or, without a key that cuts it, by its blocks ({@link BlockRanges}; ordinary tables only, on
 * PostgreSQL 14 and later). With {@code --consistent} every unit's transaction first imports the
 * execution's snapshot ({@link PgSnapshot}), so all units of all tasks read one moment.
 */
public final class PostgresSource extends JdbcSource {
    private static final Logger log = LoggerFactory.getLogger(PostgresSource.class);
    static final String PRODUCT = "PostgreSQL";
    private static final int FETCH_SIZE = 5_000;
    /** The first version that reads a ctid range with a TID range scan, not a scan of the whole table. */
    static final int TID_RANGE_SCANS = 14;
    /**
     * The heap blocks (8 KiB each) from which a whole table is copied as two halves at once: 128 MiB. At
     * 1M rows (tables of 90 to 400 MB) two halves bought nothing here; at 5M rows, a fifth of the time.
     */
    static final long PARALLEL_BLOCKS = 16_384;
    private static final long BLOCK = 8_192;
    /**
     * Makes the rest of the transaction read its table with a sequential scan where it can: the unit's range
     * is then a filter on every row, not a scan of its range alone (see {@link #scansWhole}).
     */
    private static final String SEQ_SCAN = "SELECT set_config('enable_tidscan', 'off', true),"
            + " set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)";

    private final String schema;
    private final boolean checksums;
    private final PgCatalogue catalogue;
    private CopyTap tap;
    private boolean rowPath;
    private boolean textCopy;
    private int serverMajor;
    private String jdbc;
    private Properties properties;
    private String snapshot;
    /** What this source was opened with, to open its {@link #partner}. */
    private String opened;
    private boolean parallelCopies;
    /** Every unit planned reads one moment ({@code --consistent}): tables are cut by blocks. */
    private boolean oneMoment;
    private long parallelFrom = PARALLEL_BLOCKS;
    /** The server's {@code effective_cache_size} in blocks, once read; -1 before. */
    private long cacheBlocks = -1;
    /** A second connection, opened at the first copy in two halves. */
    private PostgresSource partner;
    private int copiedInHalves;

    private PostgresSource(JdbcUrl url, Connection connection, String schema, boolean views, boolean checksums,
            CopyTap tap) {
        super(url, connection);
        this.schema = schema;
        this.checksums = checksums;
        this.catalogue = new PgCatalogue(connection, schema, views);
        this.tap = tap;
    }

    public static PostgresSource open(String uri) {
        JdbcUrl url = JdbcUrl.parse(uri, 5432);
        String schema = url.option("schema", "public");
        boolean views = Boolean.parseBoolean(url.option("views", "false"));
        String marker = url.option("marker", "none");
        String parallel = url.option("parallel", "true");
        if (!parallel.equals("true") && !parallel.equals("false")) {
            throw new JobException("parallel=" + parallel + " in " + url + ": use parallel=false (one connection a"
                    + " task) or leave it out");
        }
        if (!marker.equals("none") && !marker.equals("checksum")) {
            throw new JobException("unknown marker=" + marker + " in " + url + ": use marker=checksum (a scan of each"
                    + " table for --skip-unchanged) or leave it out");
        }
        Properties p = new Properties();
        url.driverOptions("schema", "views", "marker", "parallel").forEach(p::setProperty);
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.putIfAbsent("connectTimeout", "10");
        p.putIfAbsent("ApplicationName", "spillway");
        String tapId = p.getProperty("socketFactory") == null ? BufferedSocketFactory.watch(p) : null;
        p.putIfAbsent("socketFactory", BufferedSocketFactory.class.getName());
        String jdbc = "jdbc:postgresql://" + url.address() + "/" + URLEncoder.encode(url.database(), StandardCharsets.UTF_8);
        Connection c;
        CopyTap tap;
        try {
            c = Jdbc.connect(new org.postgresql.Driver(), jdbc, p);
        } catch (SQLException e) {
            throw JdbcErrors.connecting(e, url, PRODUCT);
        } finally {
            tap = tapId == null ? null : BufferedSocketFactory.tapOf(tapId).orElse(null);
        }
        PostgresSource source = new PostgresSource(url, c, schema, views, marker.equals("checksum"), tap);
        source.jdbc = jdbc;
        source.properties = p;
        source.opened = uri;
        source.parallelCopies = parallel.equals("true") && Runtime.getRuntime().availableProcessors() >= 2;
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'UTC';"
                        + " SET extra_float_digits = 3; SET standard_conforming_strings = on");
                int major = c.getMetaData().getDatabaseMajorVersion();
                source.serverMajor = major;
                if (major >= 11) {
                    // compiling each unit's query costs more than it saves on a scan that only formats rows
                    s.execute("SET jit = off");
                }
                // before 10 a server could keep timestamps as floating point, which BinaryCsv does not read
                source.textCopy = major < 10;
            }
            c.setAutoCommit(false);
            source.catalogue.checkSchema(url);
        } catch (SQLException e) {
            source.close();
            throw JdbcErrors.reading(e, "the catalogue of " + url, url);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return source;
    }

    /** Reads through a cursor into typed rows even for CSV: for tests that compare the two paths. */
    PostgresSource withRowPath() {
        rowPath = true;
        return this;
    }

    /** Copies in CSV even where a binary COPY would do: for tests that compare the two. */
    PostgresSource withTextCopy() {
        textCopy = true;
        return this;
    }

    /** Plans as if the server were of another major version: for tests of what older servers get. */
    PostgresSource withServerMajor(int major) {
        serverMajor = major;
        return this;
    }

    /** The tap of this source's connection, or null where it has none. */
    CopyTap tap() {
        return tap;
    }

    /** Takes a COPY's rows from the driver one by one, as when the connection is encrypted: for tests that compare the two paths. */
    PostgresSource withoutTap() {
        tap = null;
        return this;
    }

    /** Copies a whole table of at least {@code blocks} blocks in two halves at once (or never, with a negative): for tests. */
    PostgresSource withParallelCopiesFrom(long blocks) {
        parallelCopies = blocks >= 0;
        parallelFrom = blocks;
        return this;
    }

    /** How many units this source copied in two halves at once. */
    int copiedInHalves() {
        return copiedInHalves;
    }

    /** A quoted identifier: inside double quotes, a double quote is doubled. */
    static String ident(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A string literal: inside single quotes, a single quote is doubled (the session has standard_conforming_strings on). */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    protected String quote(String identifier) {
        return ident(identifier);
    }

    @Override
    public String uri() {
        return url + "?schema=" + schema;
    }

    @Override
    protected String qualified(String table) {
        return ident(schema) + "." + ident(table);
    }

    @Override
    public List<TableInfo> tables() throws SQLException {
        try {
            return catalogue.tables(uri(), null, true);
        } finally {
            endRead();
        }
    }

    /** Names and sizes in one catalogue query, without the columns (planning). */
    @Override
    public List<TableInfo> listing() throws SQLException {
        try {
            return catalogue.tables(uri(), null, false);
        } finally {
            endRead();
        }
    }

    /** Looks up only {@code names}: a task needs a few tables, not the whole catalogue. */
    @Override
    public List<TableInfo> tables(Collection<String> names) throws SQLException {
        try {
            return catalogue.tables(uri(), names, true);
        } finally {
            endRead();
        }
    }

    @Override
    protected Optional<SplitKey> splitKey(String table) throws SQLException {
        try {
            return catalogue.splitKey(table);
        } finally {
            endRead();
        }
    }

    @Override
    protected List<String> samples(TableInfo table, String column, int parts) throws SQLException {
        try {
            return catalogue.samples(table.name(), column, table.estimatedRows(), parts);
        } finally {
            endRead();
        }
    }

    @Override
    protected List<Long> quantiles(String table, String column) throws SQLException {
        try {
            return catalogue.quantiles(table, column);
        } finally {
            endRead();
        }
    }

    /** Units are cut by blocks even where a key would cut them: every unit reads one moment ({@code --consistent}). */
    @Override
    public void planForOneMoment() {
        oneMoment = true;
    }

    /**
     * Key ranges where the primary key cuts the table (see {@link JdbcSource}); otherwise, for a
     * table without a primary key or whose key gives no cut points (such as an integer leading key
     * column with one value), ranges of its blocks ({@link BlockRanges}) on servers that read them
     * with a TID range scan. When every unit reads one moment ({@link #planForOneMoment}), ranges of blocks
     * first, keyed or not: each row version the moment sees is then in exactly one block, and a TID range
     * scan costs the server less than a key range's index scan (0.71 against 0.92 s of CPU for half of a 5M-row
     * table, docs/benchmarks.md). At different moments a block range is not exact (a row updated between two
     * units' reads can move to another block), which is why a key cuts a table otherwise.
     */
    @Override
    public List<Unit> units(TableInfo table, long splitSize) throws Exception {
        if (splitSize <= 0 || table.estimatedBytes() <= splitSize) {
            return List.of(Unit.whole(table.name(), table.estimatedBytes()));
        }
        if (oneMoment && serverMajor >= TID_RANGE_SCANS) {
            OptionalLong blocks = blocks(table.name());
            if (blocks.isPresent()) {
                List<Unit> units = BlockRanges.units(table, splitSize, blocks.getAsLong());
                if (units.size() > 1) {
                    log.info("Table {} ({} bytes, {} blocks): every unit reads one moment (--consistent), so it is cut"
                            + " into {} ranges of blocks (ctid)", table.name(), table.estimatedBytes(),
                            blocks.getAsLong(), units.size());
                    return units;
                }
            }
        }
        boolean keyed = splitKey(table.name()).isPresent();
        if (keyed) {
            List<Unit> byKey = super.units(table, splitSize);
            if (byKey.size() > 1) {
                return byKey;
            }
        }
        return byBlocks(table, splitSize, keyed ? "its primary key gives no cut points" : "it has no primary key");
    }

    private List<Unit> byBlocks(TableInfo table, long splitSize, String why) throws SQLException {
        List<Unit> whole = List.of(Unit.whole(table.name(), table.estimatedBytes()));
        if (serverMajor < TID_RANGE_SCANS) {
            log.info("Table {} ({} bytes) stays whole: {}, and PostgreSQL {} would read each range of its blocks with"
                    + " a scan of the whole table (TID range scans came in {})", table.name(), table.estimatedBytes(),
                    why, serverMajor, TID_RANGE_SCANS);
            return whole;
        }
        OptionalLong blocks = blocks(table.name());
        if (blocks.isEmpty()) {
            log.info("Table {} ({} bytes) stays whole: {}, and it is not an ordinary table with blocks of its own to"
                    + " cut (a partitioned table's rows are in its partitions)", table.name(), table.estimatedBytes(), why);
            return whole;
        }
        List<Unit> units = BlockRanges.units(table, splitSize, blocks.getAsLong());
        if (units.size() > 1) {
            log.info("Table {} ({} bytes, {} blocks): {}, so it is cut into {} ranges of blocks (ctid)", table.name(),
                    table.estimatedBytes(), blocks.getAsLong(), why, units.size());
        }
        return units;
    }

    /** The table's heap blocks, or empty where it has none of its own (a partitioned table). */
    private OptionalLong blocks(String table) throws SQLException {
        try {
            return catalogue.blocks(table);
        } finally {
            endRead();
        }
    }

    /**
     * Exports a snapshot on a connection of its own and holds it ({@link PgSnapshot}) for the tasks of a
     * {@code --consistent} execution; the connection is the moment's, not this source's, to close.
     */
    @Override
    public Source.Moment holdMoment() {
        Properties p = new Properties();
        p.putAll(properties);
        p.remove(BufferedSocketFactory.PROPERTY);
        if ("spillway".equals(p.getProperty("ApplicationName"))) {
            p.setProperty("ApplicationName", "spillway --consistent");
        }
        Connection c;
        try {
            c = Jdbc.connect(new org.postgresql.Driver(), jdbc, p);
        } catch (SQLException e) {
            throw JdbcErrors.connecting(e, url, PRODUCT);
        }
        try {
            PgSnapshot held = PgSnapshot.hold(c, serverMajor);
            log.info("Holding snapshot {} of {} for every task of this --consistent execution", held.token(), url);
            return held;
        } catch (SQLException e) {
            throw JdbcErrors.reading(e, "a snapshot of " + url + " for --consistent", url);
        }
    }

    /** Takes the snapshot of a {@code --consistent} execution that each unit then reads as of; checks its form now. */
    @Override
    public void begin(String execution, Instant asOf, String moment) {
        snapshot = moment == null ? null : PgSnapshot.checkId(moment);
    }

    @Override
    public void export(Unit unit, UnitSink out) throws Exception {
        String what = "table " + unit.table() + " in " + uri();
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                if (snapshot != null) {
                    s.execute(PgSnapshot.importing(snapshot));
                }
                // an increment's rows may be few, found by an index on its cursor column: left to the planner
                if (unit.parts() == 2 && unit.cursor() == null && scansWhole(unit.table())) {
                    s.execute(SEQ_SCAN);
                }
            }
            List<PgColumn> columns = catalogue.columns(unit.table());
            if (columns.isEmpty()) {
                throw new JobException(what + " no longer exists: it was dropped or renamed after planning");
            }
            if (out.format() == Format.CSV && !rowPath && out.takesRecords()) {
                copy(unit, columns, out);
            } else {
                rows(unit, columns, out);
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw snapshot != null && PgSnapshot.isGone(e) ? PgSnapshot.gone(snapshot, e) : JdbcErrors.reading(e, what, url);
        } catch (Exception e) {
            rollback();
            throw e;
        }
    }

    private void copy(Unit unit, List<PgColumn> columns, UnitSink out) throws Exception {
        // where the client can write every column from its stored form, the server sends that
        // instead of formatting text, which costs it much less (see BinaryCsv)
        boolean binary = !textCopy && columns.stream().allMatch(c -> c.binary() != null);
        // a whole ordinary table whose columns COPY sends as stored is copied as a table: COPY then
        // reads the heap itself, without the executor a SELECT needs (as psql's \copy and pg_dump do)
        boolean asTable = unit.range() == null && unit.cursor() == null && (binary || columns.stream().allMatch(PgColumn::copiedAsIs))
                && catalogue.isPlainTable(unit.table());
        String columnList = columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String source = asTable ? qualified(unit.table()) + " (" + columnList + ")"
                : "(" + select(binary ? columnList : columns.stream().map(PgColumn::csv).collect(Collectors.joining(", ")),
                        unit, columns) + ")";
        if (asTable) {
            long blocks = blocksInHalves(unit);
            PostgresSource other = blocks > 0 ? partner() : null;
            String snapshotId = other == null ? null : exportSnapshot();
            if (snapshotId != null) {
                inHalves(other, unit.table(), columns, columnList, binary, blocks, snapshotId, out);
                return;
            }
        }
        String sql = "COPY " + source + " TO STDOUT " + (binary ? "(FORMAT binary)" : "(FORMAT csv, HEADER)");
        copyRows(sql, rows(columns, binary, out.records()));
    }

    private static CopyTap.Rows rows(List<PgColumn> columns, boolean binary, RecordSink out) {
        return binary ? new BinaryCsv(columns, out) : csvRows(columns, out);
    }

    /**
     * The blocks of a whole table to be cut into two halves copied at once, or 0 to copy it in one: where
     * the table has at least {@link #PARALLEL_BLOCKS} blocks, this machine two processors or more, and the
     * server reads a range of blocks alone (TID range scans). On two cores shared with the server, a 5M-row
     * table's copy takes about a fifth less time so (docs/benchmarks.md); {@code parallel=false} keeps one
     * connection a task.
     */
    private long blocksInHalves(Unit unit) throws SQLException {
        // a unit planned at under half the size is small: no query for its blocks (a task may have thousands)
        if (!parallelCopies || serverMajor < TID_RANGE_SCANS || unit.weight() < parallelFrom * BLOCK / 2) {
            return 0;
        }
        OptionalLong blocks = catalogue.blocks(unit.table());
        return blocks.isPresent() && blocks.getAsLong() >= Math.max(2, parallelFrom) ? blocks.getAsLong() : 0;
    }

    /**
     * Whether a unit that is half of its table (one of two parts, or one of the two halves copied at once) is
     * read with a sequential scan that skips the other half's rows, rather than with a scan of its range (a
     * key's index scan, a TID range scan). A range scan reads only its blocks, but through the server's whole
     * buffer pool: it evicts the server's cached pages for the table's, and a new server process maps each
     * buffer it touches for the first time. A sequential scan of a table larger than a quarter of the pool
     * reads through a ring of 256 KiB instead. On this project's machines (virtual, where a page fault is
     * costly) a fresh connection's TID range scan of half of a 5M-row table took 1.19 s, the same scan again on
     * that connection 0.65 s, a sequential scan of that half 0.73 to 0.84 s; at the user's command, a
     * table in two halves was exported 1.19 times as fast, two units of one table 1.12 and 1.19 times (docs/benchmarks.md).
     *
     * <p>The sequential scan reads every block of the table for each half: twice the table. That is
     * taken only where the server says its cache holds the table ({@code effective_cache_size}, which its own
     * planner weighs scans by), so the second reading comes from memory, not disk. With more parts, each
     * unit reading the whole table would cost more than it saves: they keep their range scans.
     */
    private boolean scansWhole(long blocks) throws SQLException {
        if (cacheBlocks < 0) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT setting::bigint FROM pg_settings WHERE name = 'effective_cache_size'")) {
                cacheBlocks = rs.next() ? rs.getLong(1) : 0;
            }
        }
        return blocks <= cacheBlocks;
    }

    /** {@link #scansWhole(long)} for a table of this source's schema; false for one without blocks of its own (a partitioned table). */
    private boolean scansWhole(String table) throws SQLException {
        OptionalLong blocks = catalogue.blocks(table);
        return blocks.isPresent() && scansWhole(blocks.getAsLong());
    }

    /** This transaction's snapshot, exported for the second half to read as of; null on a standby, which exports none. */
    private String exportSnapshot() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_export_snapshot() END")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Copies a whole table as two ranges of its blocks at once, the first on this connection and the second on
     * the {@link #partner}'s, which reads as of this transaction's snapshot: the same rows as one COPY, written
     * by two clients' threads into one writer ({@link SharedRecords}) while two server processes read them.
     */
    private void inHalves(PostgresSource other, String table, List<PgColumn> columns, String columnList,
            boolean binary, long blocks, String snapshotId, UnitSink out) throws Exception {
        long half = blocks / 2;
        boolean scanWhole = scansWhole(blocks);
        try (Statement s = other.connection.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute(PgSnapshot.importing(snapshotId));
            if (scanWhole) {
                s.execute(SEQ_SCAN);
            }
        } catch (SQLException e) {
            other.rollback();
            throw e;
        }
        if (scanWhole) {
            try (Statement s = connection.createStatement()) {
                s.execute(SEQ_SCAN);
            }
        }
        String select = "COPY (SELECT " + columnList + " FROM " + qualified(table) + " WHERE ctid ";
        String cut = " '(" + half + ",0)'::tid) TO STDOUT " + (binary ? "(FORMAT binary)" : "(FORMAT csv, HEADER)");
        SharedRecords shared = new SharedRecords(out.records());
        Map<String, String> labels = MDC.getCopyOfContextMap();
        // the half that fails first cancels the other, whose own error then only says it was cancelled
        AtomicReference<Exception> first = new AtomicReference<>();
        FutureTask<Void> second = new FutureTask<>(() -> {
            if (labels != null) {
                MDC.setContextMap(labels);
            }
            try {
                other.copyRows(select + ">=" + cut, rows(columns, binary, shared.producer(1)));
                other.connection.commit();
                return null;
            } catch (Exception e) {
                if (first.compareAndSet(null, e)) {
                    cancel(connection);
                }
                other.rollback();
                throw e;
            } finally {
                shared.release(1);
            }
        });
        Thread thread = new Thread(second, "copy-" + Thread.currentThread().getName());
        thread.setDaemon(true);
        thread.start();
        log.debug("Copying table {} in two halves at block {}", table, half);
        copiedInHalves++;
        Exception failed = null;
        try {
            copyRows(select + "<" + cut, rows(columns, binary, shared.producer(0)));
        } catch (Exception e) {
            failed = e;
            if (first.compareAndSet(null, e)) {
                cancel(other.connection);
            }
        } finally {
            shared.release(0); // its writer may hold a grant the other half waits on
        }
        if (failed != null) {
            thread.join();
            Exception cause = first.get();
            if (cause != failed) {
                cause.addSuppressed(failed);
            }
            throw cause;
        }
        try {
            second.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /**
     * The second connection: opened as this one was, kept until this source closes; null if the server refuses
     * it (such as at its connection limit), and this source then copies every table in one.
     */
    private PostgresSource partner() {
        if (partner == null) {
            try {
                partner = open(opened);
            } catch (RuntimeException e) {
                log.info("Copies each table on one connection: a second one, to copy large tables in two halves at"
                        + " once, was refused ({})", e.getMessage());
                parallelCopies = false;
            }
        }
        return partner;
    }

    /** Asks the server to cancel what the connection runs (from another thread); a failure here changes nothing. */
    private static void cancel(Connection c) {
        try {
            c.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            // the connection is gone: its copy has ended anyway
        }
    }

    /** Runs one COPY TO STDOUT, handing its rows to {@code rows}: from the socket's buffer where the tap can take them. */
    private void copyRows(String sql, CopyTap.Rows rows) throws SQLException, IOException {
        // the tap takes the rows out of the socket's buffer before the driver reads them; where it
        // cannot (an encrypted connection), the driver hands them over one by one
        boolean tapped = tap != null && tap.start(rows);
        CopyOut copy = null;
        try {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            for (byte[] row; (row = copy.readFromCopy()) != null; ) {
                rows.row(row, 0, row.length);
            }
            rows.end();
        } catch (SQLException e) {
            if (tapped && tap.failure() != null) {
                throw rethrow(tap.failure());
            }
            throw e;
        } finally {
            if (tapped) {
                tap.stop();
            }
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** The rows of a CSV COPY: the header, then each row with its booleans and timestamps rewritten. */
    private static CopyTap.Rows csvRows(List<PgColumn> columns, RecordSink out) {
        CsvRewriter rewriter = new CsvRewriter(columns.stream().map(PgColumn::fix).toArray(CsvRewriter.Fix[]::new));
        return new CopyTap.Rows() {
            private boolean header = true;

            // the server sends each row in one message: rows go to the writer whole, never re-scanned
            @Override
            public void row(byte[] b, int off, int len) throws IOException {
                if (header) {
                    out.header(Arrays.copyOfRange(b, off, off + len));
                    header = false;
                } else if (rewriter.changesAnything()) {
                    rewriter.rewrite(b, off, len);
                    out.record(rewriter.bytes(), 0, rewriter.length());
                } else {
                    out.record(b, off, len);
                }
            }
        };
    }

    /** The writer's own exception, which the driver saw as a broken connection. */
    private static IOException rethrow(Exception e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        return (IOException) e;
    }

    /**
     * The SELECT of one unit, its key bounds written inline (COPY takes no parameters): integers in
     * decimal, other keys as string literals cast to the key column's type, so PostgreSQL compares
     * them by that type's order and the column's collation, as it sorted the samples they came from.
     */
    private String select(String selectList, Unit unit, List<PgColumn> columns) {
        String sql = "SELECT " + selectList + " FROM " + qualified(unit.table());
        String cursor = unit.cursor() == null ? null : unit.cursor().predicate(quote(unit.cursor().column()),
                literalOf(unit, unit.cursor().column(), "cursor", columns));
        if (unit.range() == null) {
            return cursor == null ? sql : sql + " WHERE " + cursor;
        }
        String and = cursor == null ? "" : " AND " + cursor;
        if (BlockRanges.isBlockRange(unit.range())) {
            return sql + " WHERE (" + BlockRanges.predicate(unit.range()) + ")" + and;
        }
        String key = unit.range().column();
        return sql + " WHERE (" + KeyPredicate.inline(unit.range(), quote(key), literalOf(unit, key, "key", columns)).sql()
                + ")" + and;
    }

    /** Renders a value as a string literal cast to the column's type, so PostgreSQL compares it in that type's order. */
    private java.util.function.UnaryOperator<String> literalOf(Unit unit, String column, String role,
            List<PgColumn> columns) {
        String type = columns.stream().filter(c -> c.name().equals(column)).map(PgColumn::type).findFirst()
                .orElseThrow(() -> new JobException("the " + role + " column " + column + " of table " + unit.table()
                        + " in " + uri() + " no longer exists: it was dropped or renamed after planning"));
        return v -> literal(v) + "::" + type;
    }

    /** The column's largest value in its text form, which casts back to the same value (the session's time zone is UTC). */
    @Override
    public Optional<String> cursorMark(TableInfo table, String column) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(" + quote(column) + ")::text FROM " + qualified(table.name()))) {
            rs.next();
            return Optional.ofNullable(rs.getString(1));
        } catch (SQLException e) {
            throw JdbcErrors.reading(e, "the largest " + column + " of table " + table.name() + " in " + uri(), url);
        } finally {
            endRead();
        }
    }

    /**
     * With {@code marker=checksum}: the row count and the sum of a 64-bit hash of each row's text, a scan
     * that writes nothing and sees any insert, update or delete. Without it, empty: PostgreSQL keeps no
     * trustworthy per-table change counter (pg_stat_user_tables is reset with the statistics, lost in a
     * crash, and differs between a primary and its replicas), so the table is always exported.
     */
    @Override
    public Optional<String> changeMarker(TableInfo table) throws SQLException {
        if (!checksums) {
            return Optional.empty();
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*),"
                + " coalesce(sum(hashtextextended(ROW(spillway_row.*)::text, 0)::numeric), 0)::text FROM "
                + qualified(table.name()) + " AS spillway_row")) {
            rs.next();
            return Optional.of("rows=" + rs.getLong(1) + ";hash=" + rs.getString(2));
        } catch (SQLException e) {
            throw JdbcErrors.reading(e, "the checksum of table " + table.name() + " in " + uri(), url);
        } finally {
            endRead();
        }
    }

    private void rows(Unit unit, List<PgColumn> columns, UnitSink out) throws Exception {
        String list = columns.stream().map(PgColumn::row).collect(Collectors.joining(", "));
        try (PreparedStatement s = connection.prepareStatement(select(list, unit, columns), ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = s.executeQuery()) {
                stream(rs, columns.stream().map(PgColumn::reader).toList(),
                        out.rows(columns.stream().map(PgColumn::column).toList()));
            }
        }
    }

    @Override
    public void close() {
        if (partner != null) {
            partner.close();
        }
        super.close();
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is broken: the error that led here says why
        }
    }
}
