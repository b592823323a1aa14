package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.engine.TaskContext;
import io.spillway.engine.Tasks;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables without a key that cuts them are cut into ranges of their blocks (ctid), and every row,
 * including rows appended after planning, is exported exactly once into one file sequence and
 * one manifest.
 */
class PostgresCtidSplitTest {
    @TempDir
    Path dir;

    @Test
    void aTableWithoutKeyIsCutIntoBlockRangesThatHoldEveryRowOnce() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_ctid")) {
            db.sql("CREATE TABLE " + db.q("loose") + " (id bigint, label text, n int)",
                    "INSERT INTO " + db.q("loose") + " SELECT g, md5(g::text), (g % 1000)::int FROM generate_series(1, 200000) g",
                    "INSERT INTO " + db.q("loose") + " VALUES (200001, NULL, NULL), (200002, '', 0), (200003, 'a,\"b\"', 1)");

            List<Unit> units = exportAndCompare(db, "loose", "id", 2, 6);

            assertThat(units).allMatch(u -> BlockRanges.isBlockRange(u.range()));
            long rows = 0;
            for (Unit u : units) {
                byte[] copied = PgTestDb.exportCsv(PostgresSource.open(db.uri()), u, dir, "copy/" + u.part());
                byte[] read = PgTestDb.exportCsv(PostgresSource.open(db.uri()).withRowPath(), u, dir, "rows/" + u.part());
                assertThat(read).as(u.id()).isEqualTo(copied);
                rows += Exports.parse(copied).size() - 1;
            }
            assertThat(rows).isEqualTo(200_003);
        }
    }

    @Test
    void aKeyWithoutCutPointsGivesWayToBlockRanges() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_ctid")) {
            db.sql("CREATE TABLE " + db.q("tenant") + " (tenant int, id bigint, label text, PRIMARY KEY (tenant, id))",
                    "INSERT INTO " + db.q("tenant") + " SELECT 7, g, md5(g::text) FROM generate_series(1, 100000) g",
                    "ANALYZE " + db.q("tenant"));

            List<Unit> units = exportAndCompare(db, "tenant", "id", 3, 4);

            assertThat(units).allMatch(u -> BlockRanges.isBlockRange(u.range()));
        }
    }

    /** A uuid key is cut at sampled key values (as KeySplitter cuts any orderable key), not by blocks. */
    @Test
    void aMillionRowsKeyedByUuidSplitIntoRangesThatHoldEveryRowOnce() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_ctid")) {
            db.sql("CREATE TABLE " + db.q("ids") + " (k uuid PRIMARY KEY, id bigint NOT NULL, label text)",
                    "INSERT INTO " + db.q("ids") + " SELECT gen_random_uuid(), g, md5(g::text) FROM generate_series(1, 1000000) g");

            List<Unit> units = exportAndCompare(db, "ids", "id", 2, 5);

            assertThat(units).allMatch(u -> u.range().column().equals("k") && !u.range().integer());
        }
    }

    @Test
    void rowsAppendedAfterPlanningAreExportedOnceByTheLastRange() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_ctid")) {
            db.sql("CREATE TABLE " + db.q("growing") + " (id bigint, label text, n int)",
                    "INSERT INTO " + db.q("growing") + " SELECT g, md5(g::text), 1 FROM generate_series(1, 100000) g");
            Path dest = dir.resolve("growing");
            JobConfig config = Exports.config(db.uri(), dest, 2, Math.max(1, size(db, "growing") / 4), 1 << 20, List.of());
            String execution = "test-" + UUID.randomUUID();

            Tasks.run(config, new TaskContext(0, 2, 0, execution, "test"));
            Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
            Unit last = plan.unitsOfTable("growing").stream().filter(u -> u.part() == u.parts() - 1).findFirst().orElseThrow();
            assertThat(last.parts()).isGreaterThan(2);
            assertThat(plan.unitsOf(1)).contains(last);
            assertThat(last.range().to()).isNull();
            db.sql("INSERT INTO " + db.q("growing") + " SELECT g, md5(g::text), 2 FROM generate_series(100001, 130000) g");
            Tasks.run(config, new TaskContext(1, 2, 0, execution, "test"));

            assertThat(db.count("SELECT count(*) FROM " + db.q("growing"))).isEqualTo(130_000);
            assertThat(digest(dest, "growing", 0)).isEqualTo(digest(db, "growing", "id"));
            assertThat(Exports.manifest(dest, "growing").rows()).isEqualTo(130_000);
        }
    }

    @Test
    void aTableWhoseDataIsInToastWeighsItsRealSizeAndIsCut() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_ctid")) {
            db.sql("CREATE TABLE " + db.q("heavy") + " (id bigint, doc text)",
                    "ALTER TABLE " + db.q("heavy") + " ALTER COLUMN doc SET STORAGE EXTERNAL",
                    "INSERT INTO " + db.q("heavy") + " SELECT g, repeat(md5(g::text), 320) FROM generate_series(1, 3000) g");
            long heap = db.count("SELECT pg_relation_size('" + db.q("heavy") + "')");
            try (PostgresSource source = PostgresSource.open(db.uri())) {
                TableInfo table = source.tables(List.of("heavy")).get(0);
                List<Unit> units = source.units(table, 8 << 20);

                assertThat(heap).isLessThan(1 << 20);
                assertThat(table.estimatedBytes()).isGreaterThan(3000L * 10240);
                assertThat(units).hasSizeGreaterThanOrEqualTo(4).allMatch(u -> BlockRanges.isBlockRange(u.range()));
                assertThat(units.stream().mapToLong(Unit::weight).sum()).isGreaterThan(3000L * 10240 - units.size());
            }
            exportAndCompare(db, "heavy", "id", 2, 4);
        }
    }

    @Test
    void olderServersPartitionedTablesAndViewsStayWhole() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_ctid")) {
            db.sql("CREATE TABLE " + db.q("loose") + " (id bigint, label text)",
                    "INSERT INTO " + db.q("loose") + " SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                    "CREATE TABLE " + db.q("parted") + " (id bigint, label text) PARTITION BY RANGE (id)",
                    "CREATE TABLE " + db.q("parted_1") + " PARTITION OF " + db.q("parted") + " FOR VALUES FROM (0) TO (10000)",
                    "CREATE TABLE " + db.q("parted_2") + " PARTITION OF " + db.q("parted") + " FOR VALUES FROM (10000) TO (MAXVALUE)",
                    "INSERT INTO " + db.q("parted") + " SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                    "CREATE VIEW " + db.q("seen") + " AS SELECT * FROM " + db.q("loose"));
            try (PostgresSource source = PostgresSource.open(db.uri() + "&views=true")) {
                List<TableInfo> tables = source.tables();
                assertThat(tables).extracting(TableInfo::name).containsExactly("loose", "parted", "seen");

                assertThat(source.units(tables.get(1), 1000)).containsExactly(Unit.whole("parted", tables.get(1).estimatedBytes()));
                assertThat(source.units(tables.get(2), 1)).containsExactly(Unit.whole("seen", 1));
                assertThat(source.units(tables.get(0), 1000)).hasSizeGreaterThan(1);
                assertThat(source.withServerMajor(13).units(tables.get(0), 1000))
                        .containsExactly(Unit.whole("loose", tables.get(0).estimatedBytes()));
            }
        }
    }

    /** Exports {@code table} in {@code tasks} tasks cut into about {@code parts} units; checks its rows against the table's. */
    private List<Unit> exportAndCompare(PgTestDb db, String table, String idColumn, int tasks, int parts) throws Exception {
        Path dest = dir.resolve(table);
        String execution = Exports.run(Exports.config(db.uri(), dest, tasks, Math.max(1, size(db, table) / parts), 4 << 20,
                List.of()));
        Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
        List<Unit> units = plan.unitsOfTable(table);
        assertThat(units).as(table).hasSizeGreaterThanOrEqualTo(Math.min(parts, 3));
        assertThat(units.stream().map(Unit::range).filter(r -> r.from() == null)).hasSize(1);
        assertThat(units.stream().map(Unit::range).filter(r -> r.to() == null)).hasSize(1);
        long rows = db.count("SELECT count(*) FROM " + db.q(table));
        Manifest manifest = Exports.manifest(dest, table);
        assertThat(manifest.rows()).isEqualTo(rows);
        assertThat(manifest.files()).extracting(Manifest.File::name).doesNotHaveDuplicates();
        int id = columnIndex(db, table, idColumn);
        assertThat(digest(dest, table, id)).as(table).isEqualTo(digest(db, table, idColumn));
        return units;
    }

    private static long size(PgTestDb db, String table) throws Exception {
        return db.scannedBytes(table);
    }

    private static int columnIndex(PgTestDb db, String table, String column) throws Exception {
        return (int) db.count("SELECT attnum - 1 FROM pg_attribute WHERE attrelid = '" + db.q(table).replace("'", "''")
                + "'::regclass AND attname = '" + column + "'");
    }

    /**
     * What a set of rows is, order aside: how many, whether a column meant to be unique is, and a
     * sum of hashes of whole rows (NULL and empty text hashed apart), so a row lost and another
     * repeated do not cancel out.
     */
    record Digest(long rows, boolean idsUnique, long hash) {}

    private static final class Digester {
        private long[] ids = new long[1024];
        private long rows;
        private long hash;

        void add(List<String> row, int id) {
            if (rows == ids.length) {
                ids = Arrays.copyOf(ids, ids.length * 2);
            }
            ids[(int) rows++] = Long.parseLong(row.get(id));
            long h = 0xcbf29ce484222325L;
            for (String field : row) {
                byte[] b = field == null ? new byte[] {0} : (field + "\u0001").getBytes(StandardCharsets.UTF_8);
                for (byte x : b) {
                    h = (h ^ x) * 0x100000001b3L;
                }
            }
            hash += h;
        }

        Digest digest() {
            long[] sorted = Arrays.copyOf(ids, (int) rows);
            Arrays.sort(sorted);
            boolean unique = true;
            for (int i = 1; i < sorted.length; i++) {
                unique &= sorted[i] != sorted[i - 1];
            }
            return new Digest(rows, unique, hash);
        }
    }

    /** The digest of the published files of a table, read one file at a time. */
    private static Digest digest(Path dest, String table, int id) throws Exception {
        Digester d = new Digester();
        for (Manifest.File f : Exports.manifest(dest, table).files()) {
            List<List<String>> records = Exports.parse(Files.readAllBytes(dest.resolve(Layout.tableDir(table) + f.name())));
            records.subList(1, records.size()).forEach(r -> d.add(r, id));
        }
        return d.digest();
    }

    /** The digest of the table's rows as the server has them now, in their text form. */
    private static Digest digest(PgTestDb db, String table, String idColumn) throws Exception {
        Digester d = new Digester();
        int id = columnIndex(db, table, idColumn);
        db.connection.setAutoCommit(false);
        try (Statement s = db.connection.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + db.q(table))) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    d.add(Arrays.asList(row), id);
                }
            }
        } finally {
            db.connection.commit();
            db.connection.setAutoCommit(true);
        }
        return d.digest();
    }
}
