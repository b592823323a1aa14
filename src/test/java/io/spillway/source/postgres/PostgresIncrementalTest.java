package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.config.JobConfig.CursorRule;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.source.jdbc.Exports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table exported by a timestamptz cursor, cut into key ranges on two tasks: the second export reads
 * only the rows past the first one's mark and adds them as new files; a table marked by checksum is
 * skipped while unchanged and exported again once a row is updated.
 */
class PostgresIncrementalTest {
    @TempDir
    Path dir;

    @Test
    void rowsPastTheMarkAreAddedAndUnchangedTablesAreSkipped() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_incr")) {
            db.sql("CREATE TABLE " + db.q("events") + " (id bigint PRIMARY KEY, at timestamptz, payload text)",
                    "INSERT INTO " + db.q("events") + " SELECT i, TIMESTAMPTZ '2024-01-01 00:00:00.000001+00'"
                            + " + i * INTERVAL '1.000001 second', repeat('x', i % 50) FROM generate_series(1, 3000) i",
                    "INSERT INTO " + db.q("events") + " VALUES (0, NULL, 'no time')",
                    "CREATE TABLE " + db.q("plain") + " (id int PRIMARY KEY, name text)",
                    "INSERT INTO " + db.q("plain") + " SELECT i, 'n' || i FROM generate_series(1, 100) i",
                    "ANALYZE " + db.q("events"), "ANALYZE " + db.q("plain"));
            Path dest = dir.resolve("dest");
            JobConfig config = Exports.config(db.uri() + "&marker=checksum", dest, 2, 16 * 1024, 1L << 30, List.of())
                    .withIncremental(true, List.of(new CursorRule("ev*", "at")), false).validate();

            Exports.run(config);
            Manifest first = Exports.manifest(dest, "events");
            assertThat(first.cursor()).isEqualTo("at");
            assertThat(first.mark()).isEqualTo(db.text("SELECT max(at)::text FROM " + db.q("events")));
            assertThat(ids(dest, "events")).hasSize(3001); // the row without a time too, the first time
            assertThat(Exports.manifest(dest, "plain").changeMarker()).startsWith("rows=100;hash=");

            db.sql("INSERT INTO " + db.q("events") + " SELECT i, TIMESTAMPTZ '2024-01-01 00:00:00.000001+00'"
                    + " + i * INTERVAL '1.000001 second', 'late' FROM generate_series(3001, 3500) i");
            String second = Exports.run(config);
            Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(second))), Plan.class, "plan");
            assertThat(plan.tables()).containsExactly("events");
            assertThat(plan.skipped()).extracting(Plan.TableMarks::table).containsExactly("plain");
            assertThat(plan.unitsOfTable("events")).hasSizeGreaterThan(1)
                    .allMatch(u -> u.cursor().after().equals(first.mark()));
            Manifest grown = Exports.manifest(dest, "events");
            assertThat(grown.files().subList(0, first.files().size())).isEqualTo(first.files());
            assertThat(ids(dest, "events")).hasSize(3501).doesNotHaveDuplicates()
                    .containsAll(longs(db, "SELECT id FROM " + db.q("events")));

            // the documented blind spot: a row whose cursor equals the mark, written after it was read, is never read
            db.sql("INSERT INTO " + db.q("events") + " SELECT 9999, max(at), 'tied' FROM " + db.q("events"),
                    "UPDATE " + db.q("plain") + " SET name = 'renamed' WHERE id = 7");
            String third = Exports.run(config);
            Plan thirdPlan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(third))), Plan.class, "plan");
            assertThat(thirdPlan.tables()).containsExactly("plain");
            assertThat(thirdPlan.skipped()).extracting(Plan.TableMarks::table, Plan.TableMarks::skipped)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("events", "no rows past the mark"));
            assertThat(ids(dest, "events")).doesNotContain(9999L);
            assertThat(Exports.read(dest, "plain")).contains(List.of("7", "renamed"));

            Exports.run(config.withIncremental(true, config.cursors(), true));
            assertThat(ids(dest, "events")).hasSize(3502).contains(9999L);
        }
    }

    private static List<Long> ids(Path dest, String table) throws Exception {
        List<List<String>> rows = Exports.read(dest, table);
        return rows.subList(1, rows.size()).stream().map(r -> Long.parseLong(r.get(0))).toList();
    }

    private static List<Long> longs(PgTestDb db, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Statement s = db.connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
