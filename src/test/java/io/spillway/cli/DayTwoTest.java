package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second day of a 30-table warehouse: one table gained rows, one had rows updated, the rest are as
 * they were. Run again with --skip-unchanged and a cursor on the appended table, only those two are read
 * (the appended one past its mark), and every table's files read back equal to the data as it is now.
 */
class DayTwoTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheChangedTablesAreExportedAndEveryTableEqualsItsSource() throws Exception {
        Path db = dir.resolve("warehouse.duckdb");
        List<String> tables = Warehouse.create(db, 30);
        Path dest = dir.resolve("dest");
        String[] options = {"--source", "duckdb:" + db, "--dest", dest.toString(), "--tasks", "4", "--parallelism", "2",
                "--skip-unchanged", "--cursor", "t_03=id", "--split-size", "64KiB"};

        run("day-1", options);
        Manifest before = manifest(dest, "t_03");
        long before03 = Warehouse.count(db, "t_03");
        assertThat(before.cursor()).isEqualTo("id");
        assertThat(before.mark()).isEqualTo(Long.toString(before03));
        assertThat(manifest(dest, "t_07").changeMarker()).startsWith("rows=");

        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("grown", before03 + 500));
            s.execute("INSERT INTO t_03 SELECT * FROM grown WHERE id > " + before03);
            s.execute("DROP TABLE grown");
            s.execute("UPDATE t_07 SET name = 'renamed', score = score + 1 WHERE id % 10 = 0");
        }

        String out = run("day-2", options);
        assertThat(out).contains("Skipped 28 tables");
        Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan("day-2"))), Plan.class, "plan");
        assertThat(plan.tables()).containsExactly("t_03", "t_07");
        assertThat(plan.skipped()).hasSize(28).allMatch(m -> m.skipped().equals("unchanged"));
        assertThat(plan.unitsOfTable("t_03")).isNotEmpty().allMatch(u -> u.cursor() != null
                && u.cursor().after().equals(Long.toString(before03))
                && u.cursor().upTo().equals(Long.toString(before03 + 500)));
        assertThat(plan.unitsOfTable("t_07")).allMatch(u -> u.cursor() == null);
        try (Stream<Path> records = Files.walk(dest.resolve(Layout.execution("day-2") + "units"))) {
            assertThat(records.filter(Files::isRegularFile).map(p -> p.getParent().getFileName().toString()).distinct())
                    .containsExactlyInAnyOrder("t_03", "t_07");
        }

        Manifest after = manifest(dest, "t_03");
        assertThat(after.execution()).isEqualTo("day-2");
        assertThat(after.mark()).isEqualTo(Long.toString(before03 + 500));
        assertThat(after.files().subList(0, before.files().size())).isEqualTo(before.files());
        assertThat(after.files().size()).isGreaterThan(before.files().size());
        assertThat(after.rows()).isEqualTo(before03 + 500);
        assertThat(manifest(dest, "t_01").execution()).isEqualTo("day-1");
        for (String table : tables) {
            Manifest m = manifest(dest, table);
            List<Path> files = Warehouse.files(dest, table);
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .containsExactlyElementsOf(m.files().stream().map(Manifest.File::name).toList());
            assertThat(Warehouse.differences(db, table, files)).as(table).isZero();
        }
        var verify = Cli.run("verify", "--dest", dest.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        var status = Cli.run("status", "--dest", dest.toString(), "--execution", "day-2");
        assertThat(status.out()).contains("Skipped 28 tables").contains("t_01").contains("unchanged");

        String third = run("day-3", options);
        assertThat(third).contains("Skipped 30 tables");
        assertThat(manifest(dest, "t_03").execution()).isEqualTo("day-2");

        run("day-4", "--source", "duckdb:" + db, "--dest", dest.toString(), "--cursor", "t_03=id", "--full-refresh");
        Manifest refreshed = manifest(dest, "t_03");
        assertThat(refreshed.execution()).isEqualTo("day-4");
        assertThat(refreshed.files()).hasSize(1);
        assertThat(Warehouse.differences(db, "t_03", Warehouse.files(dest, "t_03"))).isZero();
    }

    private static String run(String execution, String... options) {
        String[] args = Stream.concat(Stream.of("run", "--execution", execution), Stream.of(options))
                .toArray(String[]::new);
        var result = Cli.run(args);
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        return result.out();
    }

    private static Manifest manifest(Path dest, String table) throws Exception {
        return Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
    }
}
