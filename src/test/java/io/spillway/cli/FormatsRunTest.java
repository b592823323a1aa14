package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spillway.format.AvroFiles;
import io.spillway.format.TestDuckDb;
import io.spillway.layout.Json;
import io.spillway.testing.Cli;
import io.spillway.testing.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole executions with task processes, in each format, from the demo warehouse. */
class FormatsRunTest {
    @TempDir
    static Path dir;
    static Path warehouse;

    @BeforeAll
    static void makeWarehouse() throws Exception {
        warehouse = dir.resolve("warehouse.duckdb");
        DemoCommand.create(warehouse, 0.02);
    }

    private static Result export(Path dest, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--source", "duckdb:" + warehouse, "--dest",
                dest.toString(), "--tasks", "3", "--parallelism", "2"));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    private static List<Path> files(Path table) throws Exception {
        try (Stream<Path> s = Files.list(table)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("_")).sorted().toList();
        }
    }

    @Test
    void parquetIsSnappyByDefaultAndEveryTableReadsBackWithAllItsRowsAlsoWhenSplit() throws Exception {
        Path dest = dir.resolve("parquet");

        Result r = export(dest, "--format", "parquet", "--max-file-size", "128KiB", "--split-size", "200KiB");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("30 tables in (3[1-9]|[4-9]\\d|\\d{3,}) units");
        try (TestDuckDb db = new TestDuckDb()) {
            db.execute("ATTACH " + TestDuckDb.literal(warehouse) + " AS src (READ_ONLY)");
            for (int i = 1; i <= 30; i++) {
                String table = String.format("dummy_%02d", i);
                List<Path> files = files(dest.resolve(table));
                assertThat(files).allSatisfy(f -> {
                    assertThat(f.getFileName().toString()).matches(table + "_\\d{12}\\.parquet");
                    assertThat(Files.size(f)).isLessThanOrEqualTo(128 << 10);
                });
                JsonNode manifest = Json.MAPPER.readTree(dest.resolve(table).resolve("_MANIFEST.json").toFile());
                assertThat(manifest.get("compression").asText()).isEqualTo("snappy");
                String read = "read_parquet(" + TestDuckDb.literal(dest.resolve(table) + "/*.parquet") + ")";
                assertThat(db.rows("SELECT * FROM src." + table + " EXCEPT ALL SELECT * FROM " + read)).isEmpty();
                assertThat(db.value("SELECT count(*) FROM " + read))
                        .isEqualTo(db.value("SELECT count(*) FROM src." + table))
                        .isEqualTo(manifest.get("rows").asLong());
            }
            assertThat(files(dest.resolve("dummy_17"))).hasSizeGreaterThan(1);
        }
    }

    @Test
    void jsonLinesWithZstdEndInJsonlZstAndReadBackWithAllRows() throws Exception {
        Path dest = dir.resolve("jsonl");

        Result r = export(dest, "--format", "jsonl", "--compression", "zstd", "--max-file-size", "16KiB");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        Path table = dest.resolve("dummy_17");
        assertThat(files(table)).hasSizeGreaterThan(1)
                .allSatisfy(f -> assertThat(f.getFileName().toString()).matches("dummy_17_\\d{12}\\.jsonl\\.zst"));
        try (TestDuckDb db = new TestDuckDb()) {
            db.execute("ATTACH " + TestDuckDb.literal(warehouse) + " AS src (READ_ONLY)");
            String read = "read_json(" + TestDuckDb.literal(table + "/*.jsonl.zst") + ", format = 'newline_delimited',"
                    + " columns = {id: 'BIGINT', name: 'VARCHAR', age: 'INTEGER', email: 'VARCHAR', score: 'DOUBLE',"
                    + " active: 'BOOLEAN', signed_up: 'DATE', last_seen: 'TIMESTAMP', balance: 'DECIMAL(12,2)',"
                    + " note: 'VARCHAR'})";
            assertThat(db.rows("SELECT * FROM src.dummy_17 EXCEPT ALL SELECT * FROM " + read)).isEmpty();
            assertThat(db.value("SELECT count(*) FROM " + read)).isEqualTo(db.value("SELECT count(*) FROM src.dummy_17"));
        }
    }

    @Test
    void avroWithZstdIsWholeContainersHoldingEveryRowOfEveryTable() throws Exception {
        Path dest = dir.resolve("avro");

        Result r = export(dest, "--format", "avro", "--compression", "zstd", "--max-file-size", "64KiB");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        try (TestDuckDb db = new TestDuckDb()) {
            db.execute("ATTACH " + TestDuckDb.literal(warehouse) + " AS src (READ_ONLY)");
            for (int i = 1; i <= 30; i++) {
                String table = String.format("dummy_%02d", i);
                JsonNode manifest = Json.MAPPER.readTree(dest.resolve(table).resolve("_MANIFEST.json").toFile());
                assertThat(manifest.get("compression").asText()).isEqualTo("zstd");
                List<List<Object>> rows = AvroFiles.published(dest, table, "zstandard", 64 << 10);
                assertThat(rows.stream().map(row -> row.get(0)).distinct().count())
                        .isEqualTo(db.value("SELECT count(*) FROM src." + table)).isEqualTo(manifest.get("rows").asLong());
            }
            assertThat(files(dest.resolve("dummy_17"))).hasSizeGreaterThan(1);
        }
    }

    @Test
    void snappyForCsvIsAWrongJobThatNamesWhatToFix() {
        Result r = export(dir.resolve("csv"), "--format", "csv", "--compression", "snappy");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--compression snappy does not apply to --format csv: use none (the default), gzip or zstd");
    }
}
