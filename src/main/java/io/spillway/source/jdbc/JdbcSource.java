package io.spillway.source.jdbc;

import io.spillway.spi.KeyRange;
import io.spillway.spi.RowSink;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server databases share: one connection per task, identifiers quoted by the dialect,
 * and splitting a large table into key ranges of the leading column of its primary key.
 * Not thread safe: a task uses its source from one thread.
 */
public abstract class JdbcSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(JdbcSource.class);
    /** More ranges than this gain nothing and make the plan large. */
    static final int MAX_PARTS = 10_000;

    protected final JdbcUrl url;
    protected final Connection connection;

    protected JdbcSource(JdbcUrl url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    @Override
    public String uri() {
        return url.toString();
    }

    /** The identifier quoted by the dialect's rules, so no name can end it early. */
    protected abstract String quote(String identifier);

    /** The table's name as a FROM clause takes it (schema-qualified where the dialect has schemas). */
    protected abstract String qualified(String table);

    /**
     * The leading column of a table's primary key, by which it can be cut into ranges: an integer
     * key (one that fits a long) is cut by its values, any other orderable key at sampled values.
     */
    public record SplitKey(String column, boolean integer) {}

    /** The leading column of the table's primary key, if the dialect can cut the table by it. */
    protected abstract Optional<SplitKey> splitKey(String table) throws SQLException;

    /** Key values that cut the table's rows into about equal parts, from the catalogue's statistics; may be empty. */
    protected List<Long> quantiles(String table, String column) throws SQLException {
        return List.of();
    }

    /**
     * Values of a non-integer key in ascending order as the database sorts them, spread through
     * the table (about {@code parts - 1} of them or more); may be empty, and the table stays whole.
     */
    protected List<String> samples(TableInfo table, String column, int parts) throws SQLException {
        return List.of();
    }

    @Override
    public List<Unit> units(TableInfo table, long splitSize) throws Exception {
        Unit whole = Unit.whole(table.name(), table.estimatedBytes());
        if (splitSize <= 0 || table.estimatedBytes() <= splitSize) {
            return List.of(whole);
        }
        Optional<SplitKey> key = splitKey(table.name());
        if (key.isEmpty()) {
            log.info("Table {} ({} bytes) stays whole: it has no primary key to cut it by",
                    table.name(), table.estimatedBytes());
            return List.of(whole);
        }
        int parts = (int) Math.min(MAX_PARTS, (table.estimatedBytes() + splitSize - 1) / splitSize);
        String column = key.get().column();
        List<KeyRange> ranges;
        if (key.get().integer()) {
            long[] bounds = minMax(table.name(), column);
            if (bounds == null) {
                return List.of(whole);
            }
            ranges = KeySplitter.split(column, bounds[0], bounds[1], parts, quantiles(table.name(), column));
        } else {
            ranges = KeySplitter.values(column, samples(table, column, parts), parts);
        }
        if (ranges.size() == 1) {
            return List.of(whole);
        }
        List<Unit> units = new ArrayList<>(ranges.size());
        long weight = table.estimatedBytes() / ranges.size();
        for (int i = 0; i < ranges.size(); i++) {
            units.add(new Unit(table.name(), i, ranges.size(), ranges.get(i), weight));
        }
        return units;
    }

    /**
     * Up to {@code count} values of the key, {@code step} keys apart in the database's order: each
     * found by one query that seeks past the previous one on the key's index and steps over
     * {@code step} entries ({@code ORDER BY k LIMIT 1 OFFSET step - 1}), so the database neither
     * sorts nor materializes anything (a window function over a 10M-row MariaDB table took a
     * minute). For dialects without sampling or statistics to ask. Only rows that meet
     * {@code where} (SQL, or null for all) count.
     */
    protected List<String> everyNth(String table, String column, long step, int count, String where) throws SQLException {
        String k = quote(column);
        List<String> out = new ArrayList<>();
        try {
            String previous = null;
            for (int i = 0; i < count; i++) {
                String sql = "SELECT " + k + " FROM " + qualified(table) + " WHERE " + (where == null ? "1 = 1" : where)
                        + (previous == null ? "" : " AND " + k + " > ?") + " ORDER BY " + k + " LIMIT 1 OFFSET "
                        + (Math.max(1, step) - 1);
                try (PreparedStatement s = connection.prepareStatement(sql)) {
                    if (previous != null) {
                        s.setString(1, previous);
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next() || rs.getString(1) == null) {
                            break;
                        }
                        previous = rs.getString(1);
                        out.add(previous);
                    }
                }
            }
        } finally {
            endRead();
        }
        return out;
    }

    /** The smallest and largest key, found through the key's index; null for an empty table. */
    private long[] minMax(String table, String key) throws SQLException {
        String k = quote(key);
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT min(" + k + "), max(" + k + ") FROM " + qualified(table))) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long min = rs.getLong(1);
                if (rs.wasNull()) {
                    return null;
                }
                return new long[] {min, rs.getLong(2)};
            } finally {
                endRead();
            }
        }
    }

    @Override
    public OptionalLong count(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM " + qualified(table));
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return OptionalLong.of(rs.getLong(1));
        } finally {
            endRead();
        }
    }

    /** Ends the implicit transaction of a catalogue read where autocommit is off. */
    protected void endRead() throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
        }
    }

    /** The select-list of {@code columns} and the WHERE clause of {@code unit}, with '?' for its bounds. */
    protected String select(String selectList, Unit unit) {
        String sql = "SELECT " + selectList + " FROM " + qualified(unit.table());
        return unit.range() == null ? sql : sql + " WHERE " + KeyPredicate.bind(unit.range(), quote(unit.range().column())).sql();
    }

    /** Binds the unit's key bounds to a statement made from {@link #select}. */
    protected static void bind(PreparedStatement s, Unit unit) throws SQLException {
        if (unit.range() != null) {
            List<Object> params = KeyPredicate.bind(unit.range(), "k").params();
            for (int i = 0; i < params.size(); i++) {
                if (params.get(i) instanceof Long l) {
                    s.setLong(i + 1, l);
                } else {
                    s.setString(i + 1, (String) params.get(i));
                }
            }
        }
    }

    /**
     * Streams every row of {@code rs} into {@code out}, each column through its reader, in calls of at most
     * {@link #ROWS_PER_CALL} rows (see {@code CopyTap.takeRows} in the PostgreSQL source: no thread runs
     * long in code the JIT has replaced since it entered it).
     */
    public static long stream(ResultSet rs, List<ColumnReader> readers, RowSink out) throws Exception {
        ColumnReader[] r = readers.toArray(ColumnReader[]::new);
        Object[] row = new Object[r.length];
        long rows = 0;
        int n;
        do {
            n = some(rs, r, row, out, ROWS_PER_CALL);
            rows += n;
        } while (n == ROWS_PER_CALL);
        return rows;
    }

    /** Rows that {@link #some} streams at most in one call. */
    static final int ROWS_PER_CALL = 16_384;

    /** Streams at most {@code max} rows; fewer only once {@code rs} has ended. */
    private static int some(ResultSet rs, ColumnReader[] r, Object[] row, RowSink out, int max) throws Exception {
        for (int k = 0; k < max; k++) {
            if (!rs.next()) {
                return k;
            }
            for (int i = 0; i < r.length; i++) {
                row[i] = r[i].read(rs, i + 1);
            }
            out.write(row);
        }
        return max;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // a read-only session: closing it loses nothing
        }
    }
}
