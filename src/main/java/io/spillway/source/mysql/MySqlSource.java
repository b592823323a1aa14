package io.spillway.source.mysql;

import io.spillway.source.jdbc.ColumnReader;
import io.spillway.source.jdbc.Jdbc;
import io.spillway.source.jdbc.JdbcErrors;
import io.spillway.source.jdbc.JdbcSource;
import io.spillway.source.jdbc.JdbcUrl;
import io.spillway.spi.Column;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.spi.UnitSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MySQL or MariaDB database: {@code mysql://USER[:PASS]@HOST[:PORT]/DB[?views=true][&rows=text|typed]}, also
 * {@code mariadb://...} and the {@code jdbc:} forms; other options go to MariaDB Connector/J.
 *
 * <p>Each unit is one SELECT inside {@code START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY}
 * at REPEATABLE READ, streamed from the server a batch of rows at a time (a forward-only
 * statement with a fetch size), never held whole. CSV and JSON lines are written from the bytes of
 * the rows ({@link TextRecords}, {@link DriverRows}) without making Java values of them: of the binary
 * protocol where every column allows ({@link BinaryRows}), else, or with {@code rows=text}, of the text
 * protocol; {@code rows=typed} (or a driver whose rows cannot be read so) reads them through the getters,
 * as Parquet and Avro always do. Both write the same files. Sizes come from
 * {@code information_schema.TABLES} ({@code TABLE_ROWS}, {@code DATA_LENGTH}): InnoDB's estimates.
 */
public final class MySqlSource extends JdbcSource {
    private static final Logger log = LoggerFactory.getLogger(MySqlSource.class);
    private static final String PRODUCT = "MySQL/MariaDB";
    private static final int FETCH_SIZE = 5_000;

    private final boolean views;
    private final boolean typedRows;
    /** CSV and JSON lines from the text protocol's bytes even where the binary protocol's would do ({@code rows=text}). */
    private final boolean textRows;

    private MySqlSource(JdbcUrl url, Connection connection, boolean views, boolean typedRows, boolean textRows) {
        super(url, connection);
        this.views = views;
        this.typedRows = typedRows;
        this.textRows = textRows;
    }

    public static MySqlSource open(String uri) {
        JdbcUrl url = JdbcUrl.parse(uri, 3306);
        if (url.database().isEmpty()) {
            throw new JobException("name the database in --source: " + url.scheme() + "://USER@HOST:3306/DATABASE");
        }
        Properties p = new Properties();
        String rows = url.option("rows", "bytes");
        if (!rows.equals("bytes") && !rows.equals("text") && !rows.equals("typed")) {
            throw new JobException("rows=" + rows + " in --source: say rows=bytes (the default), rows=text or rows=typed");
        }
        url.driverOptions("views", "rows", "permitMysqlScheme").forEach(p::setProperty);
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.putIfAbsent("connectTimeout", "10000");
        Connection c;
        try {
            c = Jdbc.connect(new org.mariadb.jdbc.Driver(), "jdbc:mariadb://" + url.address() + "/", p);
        } catch (SQLException e) {
            throw JdbcErrors.connecting(e, url, PRODUCT);
        }
        try {
            c.setCatalog(url.database());
            try (Statement s = c.createStatement()) {
                s.execute("SET time_zone = '+00:00', net_write_timeout = 600");
                s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw JdbcErrors.connecting(e, url, PRODUCT);
        }
        return new MySqlSource(url, c, Boolean.parseBoolean(url.option("views", "false")), rows.equals("typed"),
                rows.equals("text"));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing was read
        }
    }

    /** A quoted identifier: inside backticks, a backtick is doubled. Works whatever the sql_mode. */
    static String ident(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    protected String quote(String identifier) {
        return ident(identifier);
    }

    @Override
    protected String qualified(String table) {
        return ident(url.database()) + "." + ident(table);
    }

    @Override
    public List<TableInfo> tables() throws SQLException {
        return tables(true);
    }

    /** Names and sizes from {@code information_schema.TABLES}, without the query of every column (planning). */
    @Override
    public List<TableInfo> listing() throws SQLException {
        return tables(false);
    }

    private List<TableInfo> tables(boolean withColumns) throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        for (Object[] c : withColumns ? columns(null) : List.<Object[]>of()) {
            columns.computeIfAbsent((String) c[0], k -> new ArrayList<>()).add(new Column((String) c[1], (String) c[3]));
        }
        List<TableInfo> tables = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT TABLE_NAME, TABLE_TYPE, coalesce(TABLE_ROWS, 0),"
                + " coalesce(DATA_LENGTH, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?")) {
            s.setString(1, url.database());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String type = rs.getString(2);
                    boolean table = type.equals("BASE TABLE") || type.equals("SYSTEM VERSIONED");
                    if (table || (views && type.equals("VIEW"))) {
                        tables.add(new TableInfo(name, rs.getLong(3), rs.getLong(4), columns.getOrDefault(name, List.of())));
                    } else {
                        skipped.add(name + " (" + type.toLowerCase() + ")");
                    }
                }
            }
        }
        if (!skipped.isEmpty()) {
            log.info("Skipped {} views or sequences in {} ({}): add views=true to --source to export the views",
                    skipped.size(), uri(), String.join(", ", skipped));
        }
        tables.sort(Comparator.comparing(TableInfo::name));
        return tables;
    }

    /** Table, column, data type and column type of every column of {@code table} (all tables if null), in order. */
    private List<Object[]> columns(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + (table == null ? "" : " AND TABLE_NAME = ?") + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            s.setString(1, url.database());
            if (table != null) {
                s.setString(2, table);
            }
            List<Object[]> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3).toLowerCase(),
                            rs.getString(4).toLowerCase()});
                }
            }
            return out;
        }
    }

    /**
     * The leading column of the primary key: signed integers are cut by value; strings (not
     * binary), temporal types, decimals and unsigned bigints at sampled values, which the server
     * compares with the key as it sorts it (a string in the column's collation). Enums and sets
     * sort by their index but compare as strings, binary strings do not survive text, and a key
     * on a prefix of a column does not order it: such tables stay whole.
     */
    @Override
    protected Optional<SplitKey> splitKey(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT s.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE"
                + " FROM information_schema.STATISTICS s"
                + " JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME"
                + " AND c.COLUMN_NAME = s.COLUMN_NAME WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ?"
                + " AND s.INDEX_NAME = 'PRIMARY' AND s.SEQ_IN_INDEX = 1 AND s.SUB_PART IS NULL")) {
            s.setString(1, url.database());
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String column = rs.getString(1);
                String type = rs.getString(2).toLowerCase(Locale.ROOT);
                boolean unsigned = rs.getString(3).toLowerCase(Locale.ROOT).contains("unsigned");
                if (List.of("tinyint", "smallint", "mediumint", "int", "bigint").contains(type)) {
                    return Optional.of(new SplitKey(column, !(type.equals("bigint") && unsigned)));
                }
                boolean text = List.of("char", "varchar", "date", "datetime", "timestamp", "time", "year", "decimal").contains(type);
                return text ? Optional.of(new SplitKey(column, false)) : Optional.empty();
            }
        } finally {
            endRead();
        }
    }

    /** Keys about a part of the table apart, stepped over on the primary key: MySQL keeps no sample of a table to ask. */
    @Override
    protected List<String> samples(TableInfo table, String column, int parts) throws SQLException {
        return everyNth(table.name(), column, table.estimatedRows() / parts, parts - 1, null);
    }

    @Override
    public void export(Unit unit, UnitSink out) throws Exception {
        String what = "table " + unit.table() + " in " + uri();
        try (Statement tx = connection.createStatement()) {
            tx.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            try {
                List<Object[]> columns = columns(unit.table());
                if (columns.isEmpty()) {
                    throw new JobException(what + " no longer exists: it was dropped or renamed after planning");
                }
                boolean csv = out.format() == Format.CSV;
                boolean lines = csv || out.format() == Format.JSONL;
                if (!(lines && !typedRows && DriverRows.available() && exportBytes(unit, columns, out))) {
                    String list = columns.stream().map(c -> MySqlColumns.select((String) c[1], (String) c[2]))
                            .collect(Collectors.joining(", "));
                    try (PreparedStatement s = statement(select(list, unit), unit);
                            ResultSet rs = s.executeQuery()) {
                        List<ColumnReader> readers = columns.stream().map(c -> csv
                                ? MySqlColumns.csvReader((String) c[2], (String) c[3])
                                : MySqlColumns.reader((String) c[2], (String) c[3])).toList();
                        List<Column> header = columns.stream().map(c -> new Column((String) c[1], (String) c[3])).toList();
                        stream(rs, readers, out.rows(header));
                    }
                }
                tx.execute("COMMIT");
            } catch (Exception e) {
                try {
                    tx.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw JdbcErrors.reading(e, what, url);
        }
    }

    /** A forward-only, read-only statement of {@code sql} that streams, with the unit's bounds bound. */
    private PreparedStatement statement(String sql, Unit unit) throws SQLException {
        return streaming(connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY), unit);
    }

    /** The same, prepared on the server, whose results come in the binary protocol. */
    private PreparedStatement binaryStatement(String sql, Unit unit) throws SQLException {
        return streaming(connection.unwrap(org.mariadb.jdbc.Connection.class).prepareInternal(sql,
                Statement.NO_GENERATED_KEYS, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, true), unit);
    }

    private PreparedStatement streaming(PreparedStatement s, Unit unit) throws SQLException {
        try {
            s.setFetchSize(FETCH_SIZE);
            bind(s, unit);
            return s;
        } catch (SQLException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Writes the unit as CSV or JSON lines from the bytes the server sent ({@link DriverRows}); returns
     * false, having read nothing, if the driver's rows cannot be read so. Where every column is of a type
     * {@link BinaryRows} reads, the rows come in the binary protocol, which spares the server formatting
     * numbers and dates (most of its time on a table with a double); else in the text protocol, which sends
     * dates and times as the text that {@code CAST AS CHAR} makes, without the cast. Both write the same.
     */
    private boolean exportBytes(Unit unit, List<Object[]> columns, UnitSink out) throws Exception {
        String list = columns.stream().map(c -> ident((String) c[1])).collect(Collectors.joining(", "));
        BinaryRows.Wire[] wires = columns.stream().map(c -> BinaryRows.wire((String) c[2], (String) c[3]))
                .toArray(BinaryRows.Wire[]::new);
        boolean binary = !textRows && Arrays.stream(wires).allMatch(Objects::nonNull);
        PreparedStatement prepared = null;
        if (binary) {
            prepared = binaryStatement(select(list, unit), unit);
            if (!DriverRows.binary(prepared) || !BinaryRows.sentAs(wires, prepared.getMetaData())) {
                prepared.close();
                prepared = null;
                binary = false;
            }
        }
        try (PreparedStatement s = prepared != null ? prepared : statement(select(list, unit), unit)) {
            if (!binary && !DriverRows.readable(s)) {
                return false;
            }
            try (ResultSet rs = s.executeQuery()) {
                DriverRows raw = DriverRows.of(s, rs).orElseThrow(() -> new IllegalStateException(
                        "MariaDB Connector/J answered a prepared statement with a " + rs.getClass().getName()));
                int[] bits = columns.stream().mapToInt(c -> c[2].equals("bit") ? MySqlColumns.bitWidth((String) c[3]) : 0)
                        .toArray();
                TextRecords csv = new TextRecords(columns.stream().map(c -> (String) c[1]).toList(), columns.stream()
                        .map(c -> MySqlColumns.textKind((String) c[2], (String) c[3])).toList(), bits,
                        out.format() == Format.JSONL, out.records());
                if (binary) {
                    BinaryRows rows = new BinaryRows(wires, s.getMetaData(), csv);
                    raw.forEach(rows::row);
                } else {
                    raw.forEach(csv::row);
                }
                csv.end();
                return true;
            }
        }
    }

    /** Refused: InnoDB has no way to hand one transaction's snapshot to another connection. */
    @Override
    public Moment holdMoment() {
        throw new JobException("--consistent is not offered for MySQL or MariaDB: a snapshot there belongs to the one"
                + " connection that took it (START TRANSACTION WITH CONSISTENT SNAPSHOT), and separate task processes"
                + " cannot share it; drop --consistent, or export from a replica whose replication is stopped");
    }
}
