package io.spillway.source.postgres;

import io.spillway.source.jdbc.JdbcSource;
import io.spillway.source.jdbc.JdbcUrl;
import io.spillway.spi.Column;
import io.spillway.spi.JobException;
import io.spillway.spi.TableInfo;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What PostgreSQL's catalogue says about one schema, read without touching table data: the
 * relations and their columns, sizes from {@code pg_class.reltuples} and {@code pg_relation_size}
 * of the heap and its TOAST heap (the bytes a scan reads), primary keys and the planner's histogram bounds.
 */
final class PgCatalogue {
    private static final Logger log = LoggerFactory.getLogger(PgCatalogue.class);
    private static final String TABLE_KINDS = "'r', 'p'";
    private static final String VIEW_KINDS = "'v', 'm', 'f'";
    /**
     * The bytes a scan of the relation aliased {@code c} reads: its heap and its TOAST heap, the main fork of each.
     * Not {@code pg_table_size}, which also counts the free space and visibility maps and the TOAST index
     * and opens every fork of each: twice as slow (13 s against 6.5 s for 100,000 tables here).
     */
    private static String scanned(String c) {
        return "(pg_relation_size(" + c + ".oid) + CASE WHEN " + c + ".reltoastrelid <> 0 THEN pg_relation_size("
                + c + ".reltoastrelid) ELSE 0 END)";
    }

    private final Connection connection;
    private final String schema;
    private final boolean views;

    PgCatalogue(Connection connection, String schema, boolean views) {
        this.connection = connection;
        this.schema = schema;
        this.views = views;
    }

    void checkSchema(JdbcUrl url) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT nspname FROM pg_namespace"
                + " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1")) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            connection.rollback();
            if (!schemas.contains(schema) && !schema.startsWith("pg_") && !schema.equals("information_schema")) {
                throw new JobException("schema '" + schema + "' does not exist in " + url + " (schemas: "
                        + String.join(", ", schemas) + "): check ?schema= in --source");
            }
        }
    }

    /**
     * The tables of the schema, or those of {@code names} (null: all), in two catalogue queries; without
     * {@code withColumns}, in one, and each table's columns are empty.
     */
    List<TableInfo> tables(String uri, Collection<String> names, boolean withColumns) throws SQLException {
        String named = names == null ? "" : " AND c.relname = ANY(?)";
        Array nameArray = names == null ? null : connection.createArrayOf("text", names.toArray());
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        if (withColumns) {
            try (PreparedStatement s = connection.prepareStatement(columnsQuery(named))) {
                s.setString(1, schema);
                if (names != null) {
                    s.setArray(2, nameArray);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(column(rs).column());
                    }
                }
            }
        }
        // The sizes of plain tables are one expression the server can compute in its parallel workers
        // (pg_relation_size is parallel safe): 1.5 s for 100,000 tables here, where a sub-query in the same
        // select list makes the leader compute every row alone (2.6 s). Partitioned tables, whose sizes are
        // their partitions', come from a second query.
        List<TableInfo> tables = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> partitioned = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT c.relname, c.relkind IN (" + TABLE_KINDS + "),"
                + " c.relkind = 'p', greatest(c.reltuples, 0), CASE WHEN c.relkind = 'p' THEN 0 ELSE " + scanned("c") + " END"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN (" + TABLE_KINDS + ", " + VIEW_KINDS + ") AND NOT c.relispartition"
                + named + " ORDER BY c.relname")) {
            s.setString(1, schema);
            if (names != null) {
                s.setArray(2, nameArray);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (!rs.getBoolean(2) && !views) {
                        skipped.add(name);
                        continue;
                    }
                    if (rs.getBoolean(3)) {
                        partitioned.add(name);
                    }
                    tables.add(new TableInfo(name, (long) rs.getDouble(4), rs.getLong(5),
                            columns.getOrDefault(name, List.of())));
                }
            }
        }
        if (!partitioned.isEmpty()) {
            Map<String, TableInfo> sized = partitionedSizes(partitioned);
            tables.replaceAll(t -> {
                TableInfo s = sized.get(t.name());
                return s == null ? t : new TableInfo(t.name(), s.estimatedRows(), s.estimatedBytes(), t.columns());
            });
        }
        if (!skipped.isEmpty() && names == null) {
            log.info("Skipped {} views, materialized views or foreign tables in schema {} of {} ({}): add views=true"
                    + " to --source to export them", skipped.size(), schema, uri, String.join(", ", skipped));
        }
        return tables;
    }

    /**
     * The rows and bytes of partitioned tables: the sums over their leaf partitions (columns empty); not over
     * the tables in between, whose {@code reltuples} an ANALYZE of the whole sets to the rows below them.
     */
    private Map<String, TableInfo> partitionedSizes(List<String> names) throws SQLException {
        Map<String, TableInfo> out = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT c.relname, coalesce(sum(greatest(p.reltuples, 0)), 0),"
                + " coalesce(sum(" + scanned("p") + "), 0)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL pg_partition_tree(c.oid) t JOIN pg_class p ON p.oid = t.relid AND t.isleaf"
                + " WHERE n.nspname = ? AND c.relkind = 'p' AND c.relname = ANY(?) GROUP BY c.relname")) {
            s.setString(1, schema);
            s.setArray(2, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new TableInfo(rs.getString(1), (long) rs.getDouble(2), rs.getLong(3), List.of()));
                }
            }
        }
        return out;
    }

    /** The columns of one table, in order; empty if it does not exist (any more). */
    List<PgColumn> columns(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(columnsQuery(" AND c.relname = ?"))) {
            s.setString(1, schema);
            s.setString(2, table);
            List<PgColumn> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(column(rs));
                }
            }
            return out;
        }
    }

    private String columnsQuery(String and) {
        return "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), b.typname, b.typcategory"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_type t ON t.oid = a.atttypid"
                + " JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END"
                + " WHERE n.nspname = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND c.relkind IN (" + TABLE_KINDS + ", " + VIEW_KINDS + ")" + and
                + " ORDER BY c.relname, a.attnum";
    }

    private static PgColumn column(ResultSet rs) throws SQLException {
        return new PgColumn(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
    }

    /**
     * Whether COPY can read the table itself: an ordinary table (not partitioned, a view or
     * foreign) without generated columns, which COPY of a table leaves out (PostgreSQL 12 and later).
     */
    boolean isPlainTable(String table) throws SQLException {
        boolean generated = connection.getMetaData().getDatabaseMajorVersion() >= 12;
        try (PreparedStatement s = connection.prepareStatement("SELECT c.relkind = 'r'"
                + (generated ? " AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid"
                        + " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> '')" : "")
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * The number of blocks in an ordinary table's heap, from the size of its file: exact at the
     * moment of asking, where {@code pg_class.relpages} stays 0 until the first VACUUM, ANALYZE or
     * CREATE INDEX. Empty for any other relation (a partitioned table has no blocks of its own,
     * only its partitions have; views and foreign tables have none).
     */
    OptionalLong blocks(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_relation_size(c.oid, 'main')"
                + " / current_setting('block_size')::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'r'")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** The leading column of the primary key (whose index is a b-tree, so any type of it is orderable) and whether it is an integer. */
    Optional<JdbcSource.SplitKey> splitKey(String table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT a.attname,"
                + " a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype) FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new JdbcSource.SplitKey(rs.getString(1), rs.getBoolean(2))) : Optional.empty();
            }
        }
    }

    /**
     * {@code parts - 1} quantiles of the key, in its own order and collation, as text: from a
     * sample of the table's pages ({@code TABLESAMPLE SYSTEM}) sized for about 100,000 rows,
     * or the whole table when the sample holds no row. Empty if the table is empty.
     */
    List<String> samples(String table, String column, long estimatedRows, int parts) throws SQLException {
        StringBuilder fractions = new StringBuilder();
        for (int i = 1; i < parts; i++) {
            fractions.append(i == 1 ? "" : ",").append((double) i / parts);
        }
        double percent = Math.min(100, 100.0 * 100_000 / Math.max(1, estimatedRows));
        String k = PostgresSource.ident(column);
        String from = PostgresSource.ident(schema) + "." + PostgresSource.ident(table);
        for (double p : percent < 100 ? new double[] {percent, 100} : new double[] {100}) {
            String sample = p < 100 ? " TABLESAMPLE SYSTEM (" + p + ")" : "";
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT q::text FROM unnest((SELECT percentile_disc('{" + fractions
                            + "}'::float8[]) WITHIN GROUP (ORDER BY " + k + ") FROM " + from + sample
                            + ")) WITH ORDINALITY AS u(q, n) ORDER BY n")) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                if (!out.isEmpty()) {
                    return out;
                }
            }
        }
        return List.of();
    }

    /** The planner's histogram bounds of the column (about equal numbers of rows between them); empty if never analysed. */
    List<Long> quantiles(String table, String column) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT histogram_bounds::text::bigint[] FROM pg_stats"
                + " WHERE schemaname = ? AND tablename = ? AND attname = ? ORDER BY inherited DESC LIMIT 1")) {
            s.setString(1, schema);
            s.setString(2, table);
            s.setString(3, column);
            try (ResultSet rs = s.executeQuery()) {
                Array a = rs.next() ? rs.getArray(1) : null;
                if (a == null) {
                    return List.of();
                }
                List<Long> bounds = new ArrayList<>();
                for (Long v : (Long[]) a.getArray()) {
                    bounds.add(v);
                }
                return bounds;
            }
        }
    }
}
