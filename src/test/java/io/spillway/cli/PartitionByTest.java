package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.engine.TaskStatus;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.testing.Cli;
import io.spillway.testing.HiveReadBack;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --partition-by} on a DuckDB warehouse, split across units and tasks: the Hive-style folders
 * read back with DuckDB's {@code hive_partitioning} equal to the source, the manifest lists them,
 * {@code verify} passes, a second export replaces them and a retried task skips what was committed.
 */
class PartitionByTest {
    @TempDir
    Path dir;

    @Test
    void csvAndParquetReadBackEqualToTheSource() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 3);
        for (String format : List.of("csv", "parquet")) {
            Path dest = dir.resolve("dest-" + format);
            run("e1", "--source", "duckdb:" + db, "--dest", dest.toString(), "--format", format, "--tasks", "3",
                    "--split-size", "32KiB", "--partition-by", "t_01=note", "--partition-by", "t_0[23]=signed_up:month");
            Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan("e1"))), Plan.class, "plan");
            assertThat(plan.unitsOfTable("t_01")).as("split into units").hasSizeGreaterThan(1);

            assertThat(HiveReadBack.differences(db, "t_01", dest.resolve("t_01"), format, "note")).isZero();
            Manifest m = manifest(dest, "t_01");
            assertThat(m.partitionBy()).isEqualTo("note");
            assertThat(m.partitions()).extracting(Manifest.Partition::value).containsExactlyInAnyOrder(null, "",
                    "said \"hi\", then left", "line one\nline two", "ünï, cödé 🚀", "plain");
            assertThat(m.partitions().stream().mapToLong(Manifest.Partition::rows).sum()).isEqualTo(m.rows())
                    .isEqualTo(Warehouse.count(db, "t_01"));
            assertThat(m.files()).allMatch(f -> m.partitions().stream().anyMatch(p -> f.name().startsWith(p.path() + "/")));
            assertThat(m.files()).extracting(Manifest.File::name).contains("note=plain/t_01_000000000000." + format);
            assertThat(m.columns()).as("the source's columns").hasSize(11);

            for (String table : List.of("t_02", "t_03")) {
                assertThat(HiveReadBack.differences(db, table, dest.resolve(table), format, null)).as(table).isZero();
                assertThat(manifest(dest, table).partitionBy()).isEqualTo("signed_up:month");
                String read = HiveReadBack.read(dest.resolve(table), format, Map.of(), Map.of("signed_up_month", "VARCHAR"));
                assertThat(HiveReadBack.count("SELECT count(*) FROM " + read
                        + " WHERE signed_up_month <> strftime(signed_up, '%Y-%m')")).isZero();
            }
            var verify = Cli.run("verify", "--dest", dest.toString());
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out() + verify.err()).doesNotContain("not in its manifest");
        }
    }

    @Test
    void aSecondExportReplacesThePartitionsOfTheFirst() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 1);
        Path dest = dir.resolve("dest");
        String[] options = {"--source", "duckdb:" + db, "--dest", dest.toString(), "--partition-by", "t_*=note"};
        run("e1", options);
        assertThat(dest.resolve("t_01/note=plain")).isDirectory();
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("DELETE FROM t_01 WHERE note = 'plain'");
        }
        run("e2", options);
        try (Stream<Path> files = Files.walk(dest.resolve("t_01"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dest.resolve("t_01").relativize(p).toString()))
                    .noneMatch(p -> p.startsWith("note=plain/"))
                    .allMatch(p -> p.equals(Layout.MANIFEST) || p.contains("/t_01_000000000000.csv"));
        }
        assertThat(manifest(dest, "t_01").partitions()).extracting(Manifest.Partition::value).doesNotContain("plain");
        assertThat(HiveReadBack.differences(db, "t_01", dest.resolve("t_01"), "csv", "note")).isZero();
        var verify = Cli.run("verify", "--dest", dest.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out() + verify.err()).doesNotContain("not in its manifest");

        Manifest m = manifest(dest, "t_01");
        var fewer = new java.util.ArrayList<>(m.partitions());
        Manifest.Partition first = fewer.remove(0);
        fewer.add(0, new Manifest.Partition(first.path(), first.value(), first.rows() + 1, first.bytes(), first.files()));
        Files.write(dest.resolve(Layout.manifest("t_01")), Json.write(new Manifest(m.table(), m.execution(),
                m.plannedAt(), m.publishedAt(), m.format(), m.compression(), m.rows(), m.bytes(), m.columns(), m.files(),
                m.changeMarker(), m.cursor(), m.mark(), m.partitionBy(), fewer)));
        var tampered = Cli.run("verify", "--dest", dest.toString());
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.out()).contains("MISMATCH: table t_01: the manifest's partitions add up to "
                + (m.rows() + 1) + " rows, its total says " + m.rows());
    }

    @Test
    void theVersionedLayoutKeepsPartitionsInsideEachRun() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 1);
        Path dest = dir.resolve("dest");
        String[] options = {"--source", "duckdb:" + db, "--dest", dest.toString(), "--layout", "versioned",
                "--partition-by", "t_01=note"};
        run("e1", options);
        run("e2", options);
        Manifest m = manifest(dest, "t_01");
        assertThat(m.files()).allMatch(f -> f.name().startsWith("run=e2/note="));
        assertThat(m.partitions()).extracting(Manifest.Partition::path).contains("run=e2/note=plain");
        assertThat(HiveReadBack.differences(db, "t_01", dest.resolve("t_01/run=e2"), "csv", "note")).isZero();
        var verify = Cli.run("verify", "--dest", dest.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void anIncrementAddsFilesToThePartitionsNumberedOnFromTheirOwn() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 1);
        Path dest = dir.resolve("dest");
        String[] options = {"--source", "duckdb:" + db, "--dest", dest.toString(), "--cursor", "t_01=id",
                "--partition-by", "t_01=note"};
        run("day-1", options);
        long before = Warehouse.count(db, "t_01");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("grown", before + 60));
            s.execute("INSERT INTO t_01 SELECT * FROM grown WHERE id > " + before);
        }
        run("day-2", options);
        Manifest m = manifest(dest, "t_01");
        assertThat(m.files()).extracting(Manifest.File::name).contains("note=plain/t_01_000000000000.csv",
                "note=plain/t_01_000000000001.csv");
        assertThat(m.rows()).isEqualTo(before + 60);
        assertThat(HiveReadBack.differences(db, "t_01", dest.resolve("t_01"), "csv", "note")).isZero();
    }

    @Test
    void tasksOfAnEngineTakeTheRuleFromTheEnvironmentAndARetrySkipsWhatWasCommitted() throws Exception {
        Path db = dir.resolve("w.duckdb");
        Warehouse.create(db, 1);
        Path dest = dir.resolve("dest");
        Map<String, String> env = Map.of("SPILLWAY_SOURCE", "duckdb:" + db, "SPILLWAY_DEST", dest.toString(),
                "SPILLWAY_PARTITION_BY", "t_01=signed_up:year,other=x", "SPILLWAY_SPLIT_SIZE", "16KiB",
                "SPILLWAY_FORMAT", "parquet", "SPILLWAY_EXECUTION", "e", "SPILLWAY_TASKS", "2");
        task(env, 0, 1);
        assertThat(dest.resolve(Layout.manifest("t_01"))).as("waits for the units of task 1").doesNotExist();
        task(env, 1, 1);
        Manifest first = manifest(dest, "t_01");
        assertThat(first.partitionBy()).isEqualTo("signed_up:year");
        assertThat(first.partitions()).extracting(Manifest.Partition::path).contains("signed_up_year=2020",
                "signed_up_year=2023");
        task(env, 0, 2);
        TaskStatus retry = Json.read(Files.readAllBytes(dest.resolve(Layout.taskStatus("e", 0))), TaskStatus.class,
                "status");
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.unitsSkipped()).isEqualTo(retry.units()).isPositive();
        assertThat(manifest(dest, "t_01")).isEqualTo(first);
        assertThat(HiveReadBack.differences(db, "t_01", dest.resolve("t_01"), "parquet", null)).isZero();
    }

    private static Cli.Result task(Map<String, String> env, int index, int attempt) {
        var all = new java.util.HashMap<>(env);
        all.put("SPILLWAY_TASK_INDEX", Integer.toString(index));
        all.put("SPILLWAY_ATTEMPT", Integer.toString(attempt));
        var result = Cli.run(all, "task");
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        return result;
    }

    private static void run(String execution, String... options) {
        String[] args = Stream.concat(Stream.of("run", "--execution", execution), Stream.of(options))
                .toArray(String[]::new);
        var result = Cli.run(args);
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    }

    private static Manifest manifest(Path dest, String table) throws Exception {
        return Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
    }
}
