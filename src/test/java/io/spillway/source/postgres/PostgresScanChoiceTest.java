package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Cursor;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which scan the server runs for a unit that is half of its table: a sequential scan that skips the other half's
 * rows (through the server's small ring of buffers, as psql's and pg_dump's copies read) where its cache holds the
 * table, the unit's range scan where it does not, and the planner's own scans for a table cut into more parts and
 * for an increment's rows. Every row is exported exactly once either way. The server's own counters of the
 * table's scans tell which ran.
 */
class PostgresScanChoiceTest {
    private static final int ROWS = 40_000;
    /** Connection options that tell the planner (and Spillway) that the server caches one block less than the table. */
    private static String noCache;
    private static PgTestDb db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTable() throws Exception {
        db = new PgTestDb("sw_scans");
        // on a connection of its own, closed at once: its server process reports the scans it made (building
        // the key's index) as it exits, not in the middle of a test
        try (Connection c = DriverManager.getConnection(PgTestDb.JDBC); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + db.q("keyed") + " (id bigint PRIMARY KEY, h text, x double precision)");
            s.execute("INSERT INTO " + db.q("keyed") + " SELECT g, md5(g::text), g / 7.0 FROM generate_series(1, " + ROWS + ") g");
            s.execute("CREATE INDEX ON " + db.q("keyed") + " (x)");
            s.execute("ANALYZE " + db.q("keyed"));
        }
        long blocks = db.count("SELECT pg_relation_size('" + db.q("keyed") + "'::regclass) / current_setting('block_size')::int");
        // random reads as cheap as sequential ones (as on servers tuned for SSDs): the planner's own choice for
        // a range stays its key's index under the smaller cache
        noCache = "&options=-c%20effective_cache_size%3D" + (blocks - 1) * 8 + "kB%20-c%20random_page_cost%3D1";
    }

    @AfterAll
    static void dropTable() throws Exception {
        db.close();
    }

    @Test
    void twoPartsOfATableTheServerCachesAreReadBySequentialScans() throws Exception {
        Scans scans = export(db.uri(), 2);
        assertThat(scans.sequential).as("sequential scans of the table").isEqualTo(2);
        assertThat(scans.index).as("index scans of its key").isZero();
    }

    @Test
    void twoPartsOfATableLargerThanTheServersCacheKeepTheirRangeScans() throws Exception {
        assertLeftToThePlanner(export(db.uri() + noCache, 2), 2);
    }

    @Test
    void moreThanTwoPartsKeepTheirRangeScans() throws Exception {
        assertLeftToThePlanner(export(db.uri(), 3), 3);
    }

    /**
     * The planner's own choice: an index scan for each part but the first, whose range also takes the key's NULLs
     * ({@code id < x OR id IS NULL}), which the planner may read by a sequential scan.
     */
    private static void assertLeftToThePlanner(Scans scans, int parts) {
        assertThat(scans.sequential).as("sequential scans of the table").isLessThanOrEqualTo(1);
        // at least: the planner itself may look up the key's index for the value at one end of a range
        assertThat(scans.index).as("index scans of its key").isGreaterThanOrEqualTo(parts - 1);
    }

    @Test
    void twoPartsOfAnIncrementKeepThePlannersScans() throws Exception {
        // the rows past the table's mark: 100 of 40,000, which an index on the cursor column finds
        Scans scans = export(db.uri(), 2, new Cursor("x", "5700", "6000"), 100);
        assertThat(scans.sequential).as("sequential scans of the table").isZero();
        assertThat(scans.index).as("index scans").isGreaterThanOrEqualTo(2);
    }

    @Test
    void twoHalvesCopiedAtOnceAreTwoSequentialScansWhereTheServerCachesTheTable() throws Exception {
        assertThat(halves(db.uri())).as("sequential scans of the table").isEqualTo(2);
        // TID range scans, which the server does not count as sequential
        assertThat(halves(db.uri() + noCache)).as("sequential scans of a table larger than the cache").isZero();
    }

    private record Scans(long sequential, long index) {}

    /** Exports the table cut into {@code parts} key ranges, each on a connection of its own, and counts the scans they ran. */
    private Scans export(String uri, int parts) throws Exception {
        return export(uri, parts, null, ROWS);
    }

    /** As above, each unit narrowed to the rows of an increment ({@code cursor}, if not null), {@code rows} of them. */
    private Scans export(String uri, int parts, Cursor cursor, int rows) throws Exception {
        TableInfo table;
        List<Unit> units;
        try (PostgresSource planner = PostgresSource.open(db.uri())) {
            table = planner.tables().get(0);
            units = planner.units(table, table.estimatedBytes() / parts + 1);
        }
        assertThat(units).hasSize(parts);
        long[] before = settled(); // the planner's own queries counted
        List<List<String>> exported = new ArrayList<>();
        for (Unit planned : units) {
            Unit unit = cursor == null ? planned : planned.withCursor(cursor);
            List<List<String>> csv = Exports.parse(PgTestDb.exportCsv(PostgresSource.open(uri).withParallelCopiesFrom(-1),
                    unit, dir, "part-" + parts + "-" + unit.part() + "/"));
            exported.addAll(csv.subList(1, csv.size()));
        }
        assertThat(exported.stream().map(r -> Long.parseLong(r.get(0)))).as("every row once").hasSize(rows)
                .doesNotHaveDuplicates();
        long[] after = settled();
        return new Scans(after[0] - before[0], after[1] - before[1]);
    }

    /** Exports the whole table in two halves at once and counts the sequential scans they ran. */
    private long halves(String uri) throws Exception {
        long[] before = settled(); // an earlier test's connections counted
        PostgresSource source = PostgresSource.open(uri).withParallelCopiesFrom(2);
        List<List<String>> csv = Exports.parse(PgTestDb.exportCsv(source, Unit.whole("keyed", 1L << 30), dir,
                "halves-" + uri.hashCode() + "/"));
        assertThat(source.copiedInHalves()).isEqualTo(1);
        assertThat(csv.subList(1, csv.size()).stream().map(r -> r.get(0))).as("every row once").hasSize(ROWS)
                .doesNotHaveDuplicates();
        return settled()[0] - before[0];
    }

    /**
     * The counters once the closed connections' server processes have reported them, which each does as it exits:
     * read when those connections are gone and two readings a quarter of a second apart agree.
     */
    private static long[] settled() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long[] last = null;
        long[] now = counters();
        while ((now[2] > 0 || !Arrays.equals(now, last)) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = now;
            now = counters();
        }
        return now;
    }

    /** The server's sequential and index scans of the table so far, and how many connections are still open to it besides this one. */
    private static long[] counters() throws Exception {
        try (Statement s = db.connection.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT coalesce(seq_scan, 0), coalesce(idx_scan, 0),"
                    + " (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'spillway' AND datname = current_database()"
                    + " AND pid <> pg_backend_pid()) FROM pg_stat_user_tables WHERE relid = '" + db.q("keyed") + "'::regclass")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }
}
