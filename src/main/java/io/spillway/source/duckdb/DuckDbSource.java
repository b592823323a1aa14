package io.spillway.source.duckdb;

import io.spillway.spi.Column;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.KeyRange;
import io.spillway.spi.LocalFiles;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.spi.UnitSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DuckDB database file, opened read-only so any number of task processes can read it at once.
 * Tables are exported by DuckDB's own {@code COPY ... TO}, which writes CSV, JSON lines and
 * Parquet natively on all cores; the file it writes is then handed to the shard writer as it is
 * (CSV and JSON lines split by it when larger than the limit, Parquet cut by DuckDB itself, see
 * {@link DuckDbParquet}). Avro, which DuckDB does not write, is written from rows read through the
 * driver ({@link DuckDbRows}).
 *
 * <p>In a process that ends with its command ({@link DuckDbSourceFactory#processEndsWithCommand}), each file's database
 * stays open until the process exits: closing the last connection to it frees its catalogue, 0.9 s for
 * 100,000 tables, and the next source on that file (a task of {@code spillway run} after the plan) would
 * read it again, 2 s more. A database that stays open is one DuckDB already shares between the connections
 * open on it at once.
 *
 * <p>CSV dialect: RFC 4180 with a header, ',' and '"', NULL as an empty unquoted field, an empty
 * string as {@code ""}, UTF-8; dates {@code 2024-01-31}, times {@code 08:30:00.000000}, timestamps
 * {@code 2024-01-31T08:30:00.000000}, timestamps with time zone in UTC {@code 2024-01-31T08:30:00.000000Z}.
 * Other types as DuckDB casts them to text (lists {@code [1, 2]}); blobs in base64, as
 * {@code format.Values} renders them. JSON lines and Parquet: see {@link DuckDbSelect}.
 */
public final class DuckDbSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(DuckDbSource.class);
    /** A connection per file kept open to the process's end, so that its database stays open. */
    private static final Map<Path, Connection> KEPT = new ConcurrentHashMap<>();

    private final String uri;
    private final String schema;
    private final Connection connection;
    private final DuckDbMemory memory;

    private DuckDbSource(String uri, String schema, Connection connection, DuckDbMemory memory) {
        this.uri = uri;
        this.schema = schema;
        this.connection = connection;
        this.memory = memory;
    }

    /** Opens {@code duckdb:PATH[?schema=main]} with the process's environment; the file must exist. */
    public static DuckDbSource open(String uri) {
        return open(uri, System.getenv());
    }

    /**
     * Opens {@code duckdb:PATH[?schema=main]}; the file must exist. DuckDB's memory limit is
     * {@code SPILLWAY_DUCKDB_MEMORY_LIMIT} in {@code env}, else {@link DuckDbMemory#byDefault its default}.
     */
    public static DuckDbSource open(String uri, Map<String, String> env) {
        String rest = uri.substring("duckdb:".length());
        String schema = "main";
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                String[] p = kv.split("=", 2);
                if (p[0].equals("schema") && p.length == 2 && !p[1].isBlank()) {
                    schema = p[1];
                } else {
                    throw new JobException("unknown option '" + kv + "' in " + uri + ": only ?schema=NAME is understood");
                }
            }
            rest = rest.substring(0, q);
        }
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        Path file = Path.of(rest);
        if (rest.isBlank() || !Files.isRegularFile(file)) {
            throw new JobException("DuckDB file " + (rest.isBlank() ? "(none)" : file.toAbsolutePath())
                    + " does not exist: check the path in --source " + uri);
        }
        Connection c = null;
        DuckDbMemory memory;
        try {
            memory = DuckDbMemory.of(env); // a bad setting is refused before the file is opened
            c = DuckDbDriver.connect("jdbc:duckdb:" + file.toAbsolutePath(), properties(memory.bytes()));
            try (Statement s = c.createStatement()) {
                s.execute("SET TimeZone = 'UTC'"); // zoned timestamps that COPY renders itself come out in UTC
            }
            if (DuckDbSourceFactory.keepsDatabasesUntilExit() && !KEPT.containsKey(file.toAbsolutePath())) {
                Connection kept = c.unwrap(DuckDBConnection.class).duplicate();
                if (KEPT.putIfAbsent(file.toAbsolutePath(), kept) != null) {
                    kept.close(); // another thread kept one first
                }
            }
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new JobException("cannot open DuckDB file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        DuckDbSource source = new DuckDbSource(uri, schema, c, memory);
        source.checkSchema();
        return source;
    }

    /** The connection properties of a source opened with the process's environment. */
    static Properties properties() throws SQLException {
        return properties(DuckDbMemory.of(System.getenv()).bytes());
    }

    /**
     * The connection properties of a source whose database may use {@code memoryLimitBytes}. One database is shared
     * by the connections to a file in a process, and all must be opened with the same properties.
     */
    static Properties properties(long memoryLimitBytes) {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("jdbc_stream_results", "true"); // the row path reads a table of any size
        // A COPY that keeps the table's order holds the rows its threads read ahead until the rows before them are
        // written: a row group (122,880 rows) a thread, 480 MB at 4 kB a row, more than the memory limit (DuckDbMemory), where it
        // fails. Without it each thread writes what it read; a file holds its slice's rows in another order, and
        // the COPY is faster too (docs/formats.md, DuckDB sources).
        p.setProperty("preserve_insertion_order", "false");
        // DuckDB caches the pages it reads up to its limit: capped, a task's memory stays flat however large the table
        p.setProperty("memory_limit", memoryLimitBytes + "B");
        return p;
    }

    private void checkSchema() {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() ORDER BY 1")) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            if (!schemas.contains(schema)) {
                close();
                throw new JobException("schema '" + schema + "' does not exist in " + uri + " (schemas: "
                        + String.join(", ", schemas) + ")");
            }
        } catch (SQLException e) {
            throw new JobException("cannot read the catalogue of " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public List<TableInfo> tables() throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT table_name, column_name, data_type"
                + " FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = ?"
                + " ORDER BY table_name, column_index")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Column(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return sized(null, columns::get);
    }

    /**
     * Looks up only {@code names}: their sizes in one scan of {@code duckdb_tables()} (DuckDB's catalogue
     * functions read every table whatever the filter; {@code duckdb_columns()} is the slower), and each one's
     * columns directly ({@code pragma_table_info}), so a task does not read the columns of the whole catalogue.
     */
    @Override
    public List<TableInfo> tables(Collection<String> names) throws SQLException {
        if (names.isEmpty()) {
            return List.of();
        }
        return sized(new TreeSet<>(names), this::columns);
    }

    /** The schema's tables, or those of {@code names} (null: all), with their estimated sizes, sorted by name. */
    private List<TableInfo> sized(Collection<String> names, SqlFunction<String, List<Column>> columnsOf)
            throws SQLException {
        String named = names == null ? "" : " AND table_name IN (" + String.join(", ",
                Collections.nCopies(names.size(), "?")) + ")";
        Map<String, Long> rowsOf = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT table_name, estimated_size FROM duckdb_tables()"
                + " WHERE database_name = current_database() AND schema_name = ? AND NOT temporary" + named
                + " ORDER BY table_name")) {
            s.setString(1, schema);
            int i = 2;
            for (String name : names == null ? List.<String>of() : names) {
                s.setString(i++, name);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rowsOf.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<TableInfo> tables = new ArrayList<>(rowsOf.size()); // no query while a (streamed) result is open
        for (Map.Entry<String, Long> t : rowsOf.entrySet()) {
            List<Column> cols = Optional.ofNullable(columnsOf.apply(t.getKey())).orElse(List.of());
            tables.add(new TableInfo(t.getKey(), t.getValue(), t.getValue() * plannedRowBytes(cols), cols));
        }
        return tables;
    }

    private interface SqlFunction<T, R> {
        R apply(T t) throws SQLException;
    }

    /** The columns of one table, looked up directly; empty if it does not exist. */
    private List<Column> columns(String table) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT name, type FROM pragma_table_info(?) ORDER BY cid")) {
            s.setString(1, quote(schema) + "." + quote(table));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Column(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("Catalog Error")) {
                return List.of(); // dropped since: the caller says so, with the table's name
            }
            throw e;
        }
        return out;
    }

    /** A rough width of a value as text, for size estimates. */
    static int textWidth(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.startsWith("BOOL")) return 5;
        if (t.startsWith("TINYINT") || t.startsWith("UTINYINT")) return 3;
        if (t.startsWith("SMALLINT") || t.startsWith("USMALLINT")) return 5;
        if (t.startsWith("INTEGER") || t.startsWith("UINTEGER")) return 8;
        if (t.startsWith("BIGINT") || t.startsWith("UBIGINT") || t.startsWith("HUGEINT")) return 12;
        if (t.startsWith("DOUBLE") || t.startsWith("FLOAT") || t.startsWith("REAL")) return 18;
        if (t.startsWith("DECIMAL")) return 12;
        if (t.equals("DATE")) return 10;
        if (t.startsWith("TIMESTAMP")) return 27;
        if (t.startsWith("TIME")) return 15;
        if (t.equals("UUID")) return 36;
        return 24;
    }

    /** Cuts a table larger than {@code splitSize} into ranges of DuckDB's row ids, which every row has exactly one of. */
    @Override
    public List<Unit> units(TableInfo table, long splitSize) throws SQLException {
        if (splitSize <= 0 || table.estimatedBytes() <= splitSize) {
            return List.of(Unit.whole(table.name(), table.estimatedBytes()));
        }
        long end = maxRowId(table.name()) + 1;
        int parts = (int) Math.max(1, Math.min(end, (table.estimatedBytes() + splitSize - 1) / splitSize));
        if (parts == 1) {
            return List.of(Unit.whole(table.name(), table.estimatedBytes()));
        }
        long step = (end + parts - 1) / parts;
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            KeyRange range = KeyRange.integers("rowid", i == 0 ? null : i * step, i == parts - 1 ? null : (i + 1) * step, false);
            units.add(new Unit(table.name(), i, parts, range, table.estimatedBytes() / parts));
        }
        return units;
    }

    @Override
    public OptionalLong count(String table) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quote(schema) + "." + quote(table))) {
            rs.next();
            return OptionalLong.of(rs.getLong(1));
        }
    }

    private long maxRowId(String table) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(max(rowid), -1) FROM " + quote(schema) + "." + quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Exports with one {@code COPY} per file: a unit expected to fit in one file is one COPY; a
     * larger one is cut into equal row-id slices sized from the bytes per row of a sample, two
     * written at once, so DuckDB writes each file in place and nothing is written twice. A file
     * that still comes out too large is split by the shard writer. Parquet is one COPY that DuckDB cuts into files itself
     * ({@link DuckDbParquet}); Avro is one query whose rows go to the row writer ({@link DuckDbRows}).
     */
    @Override
    public void export(Unit unit, UnitSink out) throws Exception {
        try {
            exportUnit(unit, out);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Out of Memory Error")) {
                // the same limit fails the same way again: a retry would not help, a larger limit may
                throw new JobException("DuckDB ran out of memory under its limit of " + memory.described() + ": "
                        + memory.advice() + "; DuckDB said: " + e.getMessage().lines().findFirst().orElse(""), e);
            }
            throw e;
        }
    }

    private void exportUnit(Unit unit, UnitSink out) throws Exception {
        List<Column> columns = columns(unit.table());
        if (columns.isEmpty()) {
            throw new JobException("table " + unit.table() + " no longer exists in " + uri);
        }
        TableInfo table = new TableInfo(unit.table(), 0, 0, columns); // sizes only where Parquet needs them, below
        String timestamps = DuckDbSelect.nativeTimestamp(table.columns(), out.format());
        String select = "SELECT " + table.columns().stream().map(c -> DuckDbSelect.item(c, out.format(), timestamps))
                .collect(Collectors.joining(", ")) + " FROM " + quote(schema) + "." + quote(unit.table());
        KeyRange range = unit.range();
        String cursor = cursorPredicate(unit, table);
        if (out.format() == Format.PARQUET && out.localFiles().isPresent()) {
            TableInfo sized = tables(List.of(unit.table())).stream().findFirst().orElse(table);
            new DuckDbParquet(connection, out, memory.bytes()).export(select + where(range == null ? null : range.fromInteger(),
                    range == null ? null : range.toInteger(), cursor), sized);
            return;
        }
        if (out.format() == Format.AVRO || out.localFiles().isEmpty()) { // DuckDB writes no Avro: its rows go to the row writer
            DuckDbRows.export(connection, select + where(range == null ? null : range.fromInteger(),
                    range == null ? null : range.toInteger(), cursor), table.columns(), out);
            return;
        }
        String options = options(out) + (timestamps == null ? ""
                : ", TIMESTAMPFORMAT '" + DuckDbSelect.timestampFormat(timestamps) + "'");
        long budget = out.maxFileSize() - out.maxFileSize() / 8;
        long weight = unit.weight();
        long lo = range == null || range.fromInteger() == null ? 0 : range.fromInteger();
        long hi = -1; // read when needed
        if (weight / plannedRowBytes(columns) >= SAMPLED_ROWS) {
            // planned from the column types, text at 24 bytes: what the unit's rows take, measured on a sample of them,
            // says whether it fits one file and how many rows a file takes, so that DuckDB writes files of the right
            // size rather than the writer cutting one too large (1.5 GB of a wide-text table planned as 0.6: 2.5 s)
            hi = rowIdEnd(unit);
            double perRow = sampledRowBytes(select, lo, hi, cursor, columns, out.format());
            if (perRow > 0) {
                weight = (long) Math.ceil(perRow * (hi - lo));
            }
        }
        if (weight <= budget) {
            copy(select + where(range == null ? null : range.fromInteger(), range == null ? null : range.toInteger(), cursor),
                    options, out, true);
            return;
        }
        if (hi < 0) {
            hi = rowIdEnd(unit);
        }
        // slices of equal row counts, each planned to fit a file, written two at a time on two connections: DuckDB
        // runs each COPY on all cores, yet two overlap what each does alone (its start, its last writes)
        long slices = Math.max(2, (weight + budget - 1) / budget);
        long step = (hi - lo + slices - 1) / slices;
        boolean any = false;
        try (Connection second = connection.unwrap(DuckDBConnection.class).duplicate()) {
            for (long at = lo; at < hi; at += 2 * step) {
                long mid = Math.min(hi, at + step);
                long end = Math.min(hi, mid + step);
                String first = select + where(at, mid, cursor);
                any |= mid < end
                        ? copyTwo(first, select + where(mid, end, cursor), second, options, out, end >= hi && !any)
                        : copy(first, options, out, !any) > 0; // the odd last slice, alone
            }
        }
    }

    /**
     * COPYs {@code first} on this source's connection and {@code next} on {@code second} at once, then hands
     * the files to the writer in that order; whether either held a row. The last of the unit's files is kept even
     * when empty if none before held a row ({@code keepLastIfEmpty}): a table always has a file.
     */
    private boolean copyTwo(String first, String next, Connection second, String options, UnitSink out,
            boolean keepLastIfEmpty) throws Exception {
        LocalFiles local = out.localFiles().orElseThrow();
        Path a = local.scratchFile();
        Path b = local.scratchFile();
        long started = System.nanoTime();
        long rowsA;
        long rowsB;
        // the failure reported is the first one: the other COPY may fail only because of it, or because it is cancelled
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (Statement s = connection.createStatement(); Statement t = second.createStatement()) {
            FutureTask<Long> other = new FutureTask<>(() -> failingFirst(() -> write(t, next, b, options), firstFailure));
            Thread thread = new Thread(other, Thread.currentThread().getName() + "-duckdb");
            thread.setDaemon(true);
            thread.start();
            try {
                rowsA = failingFirst(() -> write(s, first, a, options), firstFailure);
                rowsB = other.get();
            } catch (Exception e) { // this COPY failed, or the other, or the task was stopped: neither file is kept
                // this statement closed first, so that what its COPY held is given back, then the other cancelled
                // until it ends: a cancel that comes before its COPY has started is lost
                try {
                    s.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
                while (thread.isAlive()) {
                    try {
                        t.cancel();
                    } catch (SQLException closed) {
                        // the driver closes a statement whose COPY failed: that one has ended already
                    }
                    thread.join(100);
                }
                Files.deleteIfExists(a);
                Files.deleteIfExists(b);
                Exception thrown = e instanceof ExecutionException && e.getCause() instanceof Exception x ? x : e;
                Exception earlier = firstFailure.get();
                if (earlier != null && earlier != thrown) {
                    earlier.addSuppressed(thrown);
                    throw earlier;
                }
                throw thrown;
            }
        }
        log.debug("DuckDB wrote {} and {} rows, {} and {} bytes, at once in {} ms", rowsA, rowsB, Files.size(a),
                Files.size(b), (System.nanoTime() - started) / 1_000_000);
        adopt(local, a, rowsA, false);
        adopt(local, b, rowsB, keepLastIfEmpty && rowsA == 0);
        return rowsA + rowsB > 0;
    }

    private static long failingFirst(Callable<Long> copy, AtomicReference<Exception> firstFailure) throws Exception {
        try {
            return copy.call();
        } catch (Exception e) {
            firstFailure.compareAndSet(null, e);
            throw e;
        }
    }

    /** The end of a unit's row ids: its range's upper bound, or past the table's largest row id. */
    private long rowIdEnd(Unit unit) throws SQLException {
        KeyRange range = unit.range();
        return range == null || range.toInteger() == null ? maxRowId(unit.table()) + 1 : range.toInteger();
    }

    /** Units of fewer planned rows than this are sized as planned, without a sample (they fit a file unless rows are huge). */
    private static final long SAMPLED_ROWS = 10_000;
    /** Rows read at each of the sample's spots. */
    private static final int SAMPLE_SPOT = 512;

    /** The bytes a row was planned at: the column types' text widths, as {@link #sized} weighs a table. */
    private static long plannedRowBytes(List<Column> columns) {
        return Math.max(1, columns.stream().mapToLong(c -> textWidth(c.type()) + 1).sum());
    }

    /**
     * The bytes a row of row ids {@code [lo, hi)} takes in the file, on average over {@value #SAMPLE_SPOT} rows at
     * each of eight spots across them (DuckDB reads only those, by row id): each value's text and a separator (JSON
     * lines: its key and quotes too). 0 if the spots hold no row.
     */
    private double sampledRowBytes(String select, long lo, long hi, String cursor, List<Column> columns, Format format)
            throws SQLException {
        List<String> spots = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long at = lo + (hi - lo) * i / 8;
            spots.add("(rowid >= " + at + " AND rowid < " + (at + SAMPLE_SPOT) + ")");
        }
        String sql = "SELECT count(*), sum(coalesce(strlen(CAST(COLUMNS(*) AS VARCHAR)), 0)) FROM (" + select
                + " WHERE (" + String.join(" OR ", spots) + ")" + (cursor == null ? "" : " AND " + cursor) + ")";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long rows = rs.getLong(1);
            if (rows == 0) {
                return 0;
            }
            long bytes = 0;
            for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                bytes += rs.getLong(i);
            }
            long perRow = columns.size(); // commas and the line end
            if (format == Format.JSONL) {
                perRow = 2 + columns.stream().mapToLong(c -> c.name().length() + 4).sum(); // {"name":…,}
            }
            return (double) bytes / rows + perRow;
        }
    }

    /** The WHERE clause of a range of row ids and a cursor's condition (null: none). */
    private static String where(Long from, Long to, String cursor) {
        List<String> terms = new ArrayList<>();
        if (from != null) {
            terms.add("rowid >= " + from);
        }
        if (to != null) {
            terms.add("rowid < " + to);
        }
        if (cursor != null) {
            terms.add(cursor);
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    /** The unit's cursor condition, its bounds cast to the column's type, or null when it has none. */
    private static String cursorPredicate(Unit unit, TableInfo table) {
        if (unit.cursor() == null) {
            return null;
        }
        String column = unit.cursor().column();
        String type = table.columns().stream().filter(c -> c.name().equals(column)).map(Column::type).findFirst()
                .orElseThrow(() -> new JobException("the cursor column " + column + " of table " + table.name()
                        + " no longer exists: it was dropped or renamed after planning"));
        return unit.cursor().predicate(quote(column), v -> "CAST('" + v.replace("'", "''") + "' AS " + type + ")");
    }

    /** The largest value of the column as DuckDB casts it to text, which it casts back exactly. */
    @Override
    public Optional<String> cursorMark(TableInfo table, String column) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT CAST(max(" + quote(column)
                + ") AS VARCHAR) FROM " + quote(schema) + "." + quote(table.name()))) {
            rs.next();
            return Optional.ofNullable(rs.getString(1));
        }
    }

    /**
     * The table's row count and the sum of the hashes of its rows: a scan that writes nothing, and sees
     * any insert, update or delete (up to a collision of 64-bit hash sums). The file's own size and time
     * would be cheaper but say nothing of which table changed.
     */
    @Override
    public Optional<String> changeMarker(TableInfo table) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*),"
                + " CAST(coalesce(sum(CAST(hash(spillway_row) AS HUGEINT)), 0) AS VARCHAR) FROM " + quote(schema) + "."
                + quote(table.name()) + " AS spillway_row")) {
            rs.next();
            return Optional.of("rows=" + rs.getLong(1) + ";hash=" + rs.getString(2));
        }
    }

    /** Runs one COPY into a scratch file and hands it to the writer; returns its rows and bytes. */
    /** One COPY of {@code select} into a file handed to the writer (or deleted, empty, unless kept): its rows. */
    private long copy(String select, String options, UnitSink out, boolean keepIfEmpty) throws Exception {
        LocalFiles local = out.localFiles().orElseThrow();
        Path file = local.scratchFile();
        long started = System.nanoTime();
        long rows;
        try (Statement s = connection.createStatement()) {
            rows = write(s, select, file, options);
        }
        long bytes = Files.size(file);
        log.debug("DuckDB wrote {} rows, {} bytes in {} ms", rows, bytes, (System.nanoTime() - started) / 1_000_000);
        return adopt(local, file, rows, keepIfEmpty);
    }

    /** DuckDB's COPY of {@code select} into {@code file} through {@code s}: its rows; the file is deleted if it fails. */
    private static long write(Statement s, String select, Path file, String options) throws Exception {
        String copy = "COPY (" + select + ") TO '" + file.toString().replace("'", "''") + "' (" + options + ")";
        try {
            s.execute(copy);
            long rows = s.getUpdateCount();
            if (rows < 0) {
                try (ResultSet rs = s.getResultSet()) {
                    rows = rs != null && rs.next() ? rs.getLong(1) : 0;
                }
            }
            return rows;
        } catch (SQLException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Hands a written file to the writer, or deletes it when it holds no row and need not be kept. */
    private static long adopt(LocalFiles local, Path file, long rows, boolean keepIfEmpty) throws IOException {
        if (rows == 0 && !keepIfEmpty) {
            Files.delete(file);
        } else {
            local.adopt(file, rows);
        }
        return rows;
    }

    private static String options(UnitSink out) {
        String compression = out.compression().toString();
        return switch (out.format()) {
            case CSV -> "FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NULLSTR '', COMPRESSION '"
                    + compression + "'";
            case JSONL -> "FORMAT json, COMPRESSION '" + compression + "'";
            case PARQUET -> throw new IllegalStateException("Parquet is written by DuckDbParquet");
            case AVRO -> throw new IllegalStateException("DuckDB writes no Avro: its rows go to the row writer");
        };
    }

    static String quote(String identifier) {
        return DuckDbSelect.quote(identifier);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a read-only connection loses nothing
        }
    }
}
