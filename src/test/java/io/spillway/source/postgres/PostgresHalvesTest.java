package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole table copied as two halves of its blocks on two connections at once gives the same rows as one
 * COPY, in the binary path and the text path, with one header a file and no file past its size limit; a
 * writer that fails in either half fails the unit with its own error; both halves read the unit's moment;
 * where the server refuses a second connection, the table is copied in one.
 */
class PostgresHalvesTest {
    /** The size the units were planned at: large, as a table worth cutting in two would be. */
    private static final long PLANNED = 1L << 30;
    private static PgTestDb db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTables() throws Exception {
        db = new PgTestDb("sw_halves");
        db.sql(
                // binary path: rows from a few bytes to 1.8 MB, commas, quotes and line ends to quote
                "CREATE TABLE " + db.q("mixed") + " (id int PRIMARY KEY, b boolean, ts timestamptz, n numeric(12,2), t text)",
                "INSERT INTO " + db.q("mixed") + " SELECT g, g % 3 = 0, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 s',"
                        + " g / 7.0, CASE WHEN g % 5000 = 0 THEN repeat('x,\"' || g, 1 << 18)"
                        + " WHEN g % 7 = 0 THEN E'line\\nbreak, \"q\" ' || g ELSE 'row ' || g END"
                        + " FROM generate_series(1, 30000) g",
                // text path: a double precision column, which the server formats
                "CREATE TABLE " + db.q("floats") + " (id bigint, x double precision, h text)",
                "INSERT INTO " + db.q("floats") + " SELECT g, g / 3.0, md5(g::text) FROM generate_series(1, 40000) g");
    }

    @AfterAll
    static void dropTables() throws Exception {
        db.close();
    }

    @Test
    void twoHalvesAtOnceGiveTheRowsOfOneCopyWithOneHeader() throws Exception {
        for (String table : List.of("mixed", "floats")) {
            PostgresSource halves = PostgresSource.open(db.uri()).withParallelCopiesFrom(2);
            List<List<String>> two = Exports.parse(PgTestDb.exportCsv(halves, Unit.whole(table, PLANNED), dir, "two-" + table + "/"));
            assertThat(halves.copiedInHalves()).as(table + " copied in two halves").isEqualTo(1);
            PostgresSource whole = PostgresSource.open(db.uri()).withParallelCopiesFrom(-1);
            List<List<String>> one = Exports.parse(PgTestDb.exportCsv(whole, Unit.whole(table, PLANNED), dir, "one-" + table + "/"));
            assertThat(whole.copiedInHalves()).isZero();
            PostgresSource small = PostgresSource.open(db.uri()).withParallelCopiesFrom(2);
            PgTestDb.exportCsv(small, Unit.whole(table, 1), dir, "small-" + table + "/");
            assertThat(small.copiedInHalves()).as("a unit planned small is copied in one").isZero();
            assertThat(two.get(0)).as("the header comes first, once").isEqualTo(one.get(0));
            assertThat(two.subList(1, two.size())).as(table).hasSize(table.equals("mixed") ? 30_000 : 40_000)
                    .containsExactlyInAnyOrderElementsOf(one.subList(1, one.size()));
        }
    }

    @Test
    void filesStayWithinTheirLimitWhileTwoHalvesFillThem() throws Exception {
        long limit = 100_000;
        try (PostgresSource source = PostgresSource.open(db.uri()).withParallelCopiesFrom(2);
                LocalStore store = new LocalStore(dir)) {
            for (String table : List.of("floats", "mixed")) {
                List<ShardFile> files;
                try (ShardWriter out = new ShardWriter(store, table + "/", Format.CSV, Compression.NONE, limit)) {
                    source.export(Unit.whole(table, PLANNED), out);
                    files = out.finish();
                }
                List<List<String>> rows = new ArrayList<>();
                for (ShardFile f : files) {
                    byte[] bytes = Files.readAllBytes(dir.resolve(f.path()));
                    List<List<String>> parsed = Exports.parse(bytes);
                    assertThat(parsed.get(0)).as("each file's header").startsWith("id");
                    assertThat(parsed.subList(1, parsed.size())).noneMatch(r -> r.get(0).equals("id"));
                    if (f.rows() > 1) { // a row larger than the limit has a file of its own
                        assertThat(bytes.length).as(f.path()).isLessThanOrEqualTo((int) limit);
                    }
                    rows.addAll(parsed.subList(1, parsed.size()));
                }
                assertThat(files).as(table).hasSizeGreaterThan(10);
                assertThat(rows).as(table).hasSize(table.equals("mixed") ? 30_000 : 40_000)
                        .extracting(r -> r.get(0)).doesNotHaveDuplicates();
            }
            assertThat(source.copiedInHalves()).isEqualTo(2);
        }
    }

    @Test
    void aWriterThatFailsInEitherHalfFailsTheUnitWithItsOwnError() throws Exception {
        for (int failAt : new int[] {2, 9}) {
                try (PostgresSource source = PostgresSource.open(db.uri()).withParallelCopiesFrom(2);
                    LocalStore local = new LocalStore(dir.resolve("fail-" + failAt))) {
                Store failing = PgTestDb.failingAtCreate(local, failAt);
                try (ShardWriter out = new ShardWriter(failing, "floats/", Format.CSV, Compression.NONE, 100_000)) {
                    assertThatThrownBy(() -> source.export(Unit.whole("floats", PLANNED), out))
                            .isInstanceOf(IOException.class).hasMessage("no space left on the test store");
                }
                assertThat(source.copiedInHalves()).isEqualTo(1);
            }
        }
    }

    @Test
    void bothHalvesReadTheMomentTheUnitReadsAsOf() throws Exception {
        db.sql("CREATE TABLE " + db.q("growing") + " AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 20000) g");
        try (PostgresSource holder = PostgresSource.open(db.uri()); Source.Moment moment = holder.holdMoment();
                PostgresSource source = PostgresSource.open(db.uri()).withParallelCopiesFrom(2)) {
            // rows added after the moment go to the table's last blocks: the second half's
            db.sql("INSERT INTO " + db.q("growing") + " SELECT g, 'later' FROM generate_series(20001, 25000) g");
            source.begin("e1", null, moment.token());
            List<List<String>> rows;
            try (LocalStore store = new LocalStore(dir);
                    ShardWriter out = new ShardWriter(store, "growing/", Format.CSV, Compression.NONE, 1L << 30)) {
                source.export(Unit.whole("growing", PLANNED), out);
                rows = new ArrayList<>();
                for (ShardFile f : out.finish()) {
                    List<List<String>> parsed = Exports.parse(Files.readAllBytes(dir.resolve(f.path())));
                    rows.addAll(parsed.subList(1, parsed.size()));
                }
            }
            assertThat(source.copiedInHalves()).isEqualTo(1);
            assertThat(rows).hasSize(20_000).noneMatch(r -> r.get(1).equals("later"));
        }
    }

    @Test
    void aSecondConnectionTheServerRefusesLeavesTheCopyInOne() throws Exception {
        String role = "sw_one_connection";
        db.sql("DROP ROLE IF EXISTS " + role, "CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1",
                "GRANT USAGE ON SCHEMA " + db.q("floats").replaceAll("\\.\"floats\"$", "") + " TO " + role,
                "GRANT SELECT ON " + db.q("floats") + " TO " + role);
        try (PostgresSource source = PostgresSource.open(db.uri().replace("postgres@", role + "@"))
                .withParallelCopiesFrom(2)) {
            byte[] csv = PgTestDb.exportCsv(source, Unit.whole("floats", PLANNED), dir, "limited/");
            assertThat(new String(csv, StandardCharsets.UTF_8).lines()).hasSize(40_001);
            assertThat(source.copiedInHalves()).isZero();
        } finally {
            db.sql("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void parallelFalseKeepsOneConnectionAndAnythingElseIsRefused() throws Exception {
        try (PostgresSource source = PostgresSource.open(db.uri() + "&parallel=false")) {
            byte[] csv = PgTestDb.exportCsv(source, Unit.whole("floats", PLANNED), dir, "one/");
            assertThat(new String(csv, StandardCharsets.UTF_8).lines()).hasSize(40_001);
            assertThat(source.copiedInHalves()).isZero();
        }
        assertThatThrownBy(() -> PostgresSource.open(db.uri() + "&parallel=2")).isInstanceOf(JobException.class)
                .hasMessageContaining("parallel=2").hasMessageContaining("use parallel=false");
    }
}
