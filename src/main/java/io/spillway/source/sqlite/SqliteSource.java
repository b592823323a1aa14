package io.spillway.source.sqlite;

import io.spillway.source.jdbc.ColumnReader;
import io.spillway.source.jdbc.Jdbc;
import io.spillway.source.jdbc.JdbcSource;
import io.spillway.source.jdbc.JdbcUrl;
import io.spillway.spi.Column;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.TableInfo;
import io.spillway.spi.TypeDialect;
import io.spillway.spi.Unit;
import io.spillway.spi.UnitSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * A SQLite file, {@code sqlite:PATH[?views=true]}, opened read-only so any number of tasks can
 * read it at once. Each unit is one SELECT in one read transaction (a snapshot in WAL mode; in
 * rollback-journal mode writers wait for it). Sizes come from the {@code dbstat} table (the
 * pages of each table's b-tree and the cells on its leaves, read without decoding rows).
 *
 * <p>SQLite values keep their storage class: integers, reals, text and blobs (base64) as stored,
 * whatever the column's declared type; only columns declared BOOLEAN write 0 and 1 as false and true.
 */
public final class SqliteSource extends JdbcSource {
    private static final Logger log = LoggerFactory.getLogger(SqliteSource.class);

    private final boolean views;

    private SqliteSource(JdbcUrl url, Connection connection, boolean views) {
        super(url, connection);
        this.views = views;
    }

    public static SqliteSource open(String uri) {
        String rest = uri.trim().replaceFirst("(?i)^(jdbc:)?sqlite:(//)?", "");
        boolean views = false;
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (kv.equals("views=true") || kv.equals("views=false")) {
                    views = kv.endsWith("true");
                } else {
                    throw new JobException("unknown option '" + kv + "' in " + uri + ": only ?views=true is understood");
                }
            }
            rest = rest.substring(0, q);
        }
        Path file = Path.of(rest).toAbsolutePath();
        if (rest.isBlank() || !Files.isRegularFile(file)) {
            throw new JobException("SQLite file " + (rest.isBlank() ? "(none)" : file)
                    + " does not exist: check the path in --source " + uri);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try {
            Connection c = Jdbc.connect(new org.sqlite.JDBC(), "jdbc:sqlite:" + file, config.toProperties());
            c.setAutoCommit(false);
            JdbcUrl url = new JdbcUrl("sqlite", null, null, "", 0, file.toString(), Map.of());
            SqliteSource source = new SqliteSource(url, c, views);
            source.list("SELECT count(*) FROM main.sqlite_schema", 1); // fails here, not later, when the file is not a database
            return source;
        } catch (SQLException e) {
            throw new JobException("cannot read SQLite file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String uri() {
        return "sqlite:" + url.database();
    }

    /** A quoted identifier: inside double quotes, a double quote is doubled. */
    static String ident(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    protected String quote(String identifier) {
        return ident(identifier);
    }

    @Override
    protected String qualified(String table) {
        return "main." + ident(table);
    }

    /** Tables and views, with every column, in two queries however many there are. */
    @Override
    public List<TableInfo> tables() throws SQLException {
        return tables(null, true);
    }

    /**
     * Tables and views without their columns: {@code pragma_table_info} is one lookup a table, which
     * slows with the size of the schema (7.5 s of a 100,000-table listing).
     */
    @Override
    public List<TableInfo> listing() throws SQLException {
        return tables(null, false);
    }

    /** Looks each table up on its own: a task needs a few of them, not the whole catalogue. */
    @Override
    public List<TableInfo> tables(Collection<String> names) throws SQLException {
        List<TableInfo> found = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            found.addAll(tables(name, true));
        }
        return found;
    }

    /** The tables of the catalogue, or the one named {@code only} (null: all), with their columns or none. */
    private List<TableInfo> tables(String only, boolean withColumns) throws SQLException {
        String which = "m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                + (only == null ? "" : " AND m.name = ?");
        try {
            Map<String, long[]> sizes = sizes(only);
            Map<String, List<Column>> columns = new HashMap<>();
            if (withColumns) {
                try (PreparedStatement s = connection.prepareStatement("SELECT m.name, p.name, p.type"
                        + " FROM main.sqlite_schema m, pragma_table_info(m.name, 'main') p WHERE " + which
                        + " ORDER BY m.name, p.cid")) {
                    if (only != null) {
                        s.setString(1, only);
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(new Column(rs.getString(2), rs.getString(3)));
                        }
                    }
                }
            }
            List<TableInfo> tables = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement("SELECT m.name, m.type FROM main.sqlite_schema m"
                    + " WHERE " + which)) {
                if (only != null) {
                    s.setString(1, only);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        if (rs.getString(2).equals("view") && !views) {
                            skipped.add(name);
                            continue;
                        }
                        long[] size = sizes.getOrDefault(name, new long[2]);
                        tables.add(new TableInfo(name, size[1], size[0], columns.getOrDefault(name, List.of())));
                    }
                }
            }
            if (!skipped.isEmpty() && only == null) {
                log.info("Skipped {} views in {} ({}): add ?views=true to --source to export them", skipped.size(), uri(),
                        String.join(", ", skipped));
            }
            tables.sort(Comparator.comparing(TableInfo::name));
            return tables;
        } finally {
            endRead();
        }
    }

    /** Bytes and rows of each table's b-tree (or the one of {@code only}), from dbstat; empty where this SQLite lacks it. */
    private Map<String, long[]> sizes(String only) {
        Map<String, long[]> sizes = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT name, sum(pgsize),"
                + " sum(CASE WHEN pagetype = 'leaf' THEN ncell ELSE 0 END) FROM main.dbstat"
                + (only == null ? "" : " WHERE name = ?") + " GROUP BY name")) {
            if (only != null) {
                s.setString(1, only);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sizes.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        } catch (SQLException e) {
            log.info("No dbstat in this SQLite build ({}): every table is weighed alike", e.getMessage());
        }
        return sizes;
    }

    /** Name, declared type and primary key position of each column of {@code table}. */
    private List<String[]> columns(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT name, type, pk FROM pragma_table_info(?, 'main')"
                + " ORDER BY cid")) {
            s.setString(1, table);
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return out;
        }
    }

    private List<String[]> list(String sql, int width) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            List<String[]> out = new ArrayList<>();
            while (rs.next()) {
                String[] row = new String[width];
                for (int i = 0; i < width; i++) {
                    row[i] = rs.getString(i + 1);
                }
                out.add(row);
            }
            return out;
        }
    }

    /**
     * The leading column of the primary key: one with INTEGER affinity is cut by value, one with
     * TEXT affinity at sampled values, compared in the column's collation as SQLite sorts it.
     */
    @Override
    protected Optional<SplitKey> splitKey(String table) throws SQLException {
        try {
            Optional<String[]> key = columns(table).stream().filter(c -> c[2].equals("1")).findFirst();
            if (key.isEmpty()) {
                return Optional.empty();
            }
            String type = key.get()[1].toUpperCase(Locale.ROOT);
            if (type.contains("INT")) {
                return Optional.of(new SplitKey(key.get()[0], true));
            }
            boolean text = type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT");
            return text ? Optional.of(new SplitKey(key.get()[0], false)) : Optional.empty();
        } finally {
            endRead();
        }
    }

    /** Text keys about a part of the table apart, stepped over on the key's index (a blob in a text column sorts after all text and is no cut). */
    @Override
    protected List<String> samples(TableInfo table, String column, int parts) throws SQLException {
        return everyNth(table.name(), column, table.estimatedRows() / parts, parts - 1,
                "typeof(" + quote(column) + ") = 'text'");
    }

    @Override
    public void export(Unit unit, UnitSink out) throws Exception {
        String what = "table " + unit.table() + " in " + uri();
        try {
            List<String[]> columns = columns(unit.table());
            if (columns.isEmpty()) {
                throw new JobException(what + " no longer exists: it was dropped or renamed after planning");
            }
            String list = columns.stream().map(c -> ident(c[0])).collect(Collectors.joining(", "));
            try (PreparedStatement s = connection.prepareStatement(select(list, unit))) {
                bind(s, unit);
                try (ResultSet rs = s.executeQuery()) {
                    stream(rs, columns.stream().map(c -> reader(c[1])).toList(),
                            out.rows(columns.stream().map(c -> new Column(c[0], c[1])).toList(), TypeDialect.SQLITE));
                }
            }
        } catch (SQLException e) {
            throw new ExportException("cannot read " + what + ": " + e.getMessage(), e);
        } finally {
            endRead();
        }
    }

    private static ColumnReader reader(String declared) {
        if (declared.toUpperCase(Locale.ROOT).startsWith("BOOL")) {
            return (rs, i) -> {
                Object v = rs.getObject(i);
                return v instanceof Number n && (n.longValue() == 0 || n.longValue() == 1) ? n.longValue() == 1 : v;
            };
        }
        return ResultSet::getObject;
    }
}
