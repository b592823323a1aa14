package io.spillway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code spillway verify} on DuckDB exports: every format and compression, tampered files, both layouts. */
class VerifyDuckDbTest {
    @TempDir
    Path dir;

    private Path warehouse() throws Exception {
        Path db = dir.resolve("w.duckdb");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("customers", 1200)); // quoted line ends in the note column
            s.execute(Warehouse.table("empty", 0));
            s.execute(Warehouse.table("Order Lines/2024", 300));
        }
        return db;
    }

    private Path export(Path db, Format format, Compression compression, JobConfig.Versioning layout) throws Exception {
        Path dest = dir.resolve("out-" + format + "-" + compression);
        Exports.run(new JobConfig("duckdb:" + db, dest.toString(), format, compression, 16 * 1024, 0, List.of(),
                List.of(), layout, 2, 1, 0, Duration.ofHours(1)).validate());
        return dest;
    }

    private static Manifest manifest(Path dest, String table) throws Exception {
        return Exports.manifest(dest, table);
    }

    @ParameterizedTest
    @CsvSource({"csv, none", "csv, gzip", "csv, zstd", "jsonl, none", "jsonl, gzip", "parquet, snappy",
            "parquet, zstd", "avro, snappy", "avro, deflate"})
    void everyFormatReadsBackWithTheManifestsSizesChecksumsAndRows(String format, String compression) throws Exception {
        Path db = warehouse();
        Path dest = export(db, Format.parse(format), Compression.parse(compression), JobConfig.Versioning.REPLACE);
        if (Format.parse(format).lines()) {
            assertThat(manifest(dest, "customers").files()).as("several files").hasSizeGreaterThan(1);
        }

        Cli.Result r = Cli.run("verify", "--dest", dest.toString(), "--against-source", "duckdb:" + db);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Verified 3 tables, ").contains(", 1500 rows at ").contains(": all hold")
                .doesNotContain("MISMATCH").doesNotContain("warning");
    }

    @Test
    void aChangedByteATruncatedFileAMissingFileAndAStrayShardAreEachNamed() throws Exception {
        Path db = warehouse();
        Path dest = export(db, Format.CSV, Compression.NONE, JobConfig.Versioning.REPLACE);
        Manifest customers = manifest(dest, "customers");
        Path folder = dest.resolve(Layout.tableDir("customers"));
        Path flipped = folder.resolve(customers.files().get(0).name());
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[bytes.length / 2] ^= 1;
        Files.write(flipped, bytes);
        Path truncated = folder.resolve(customers.files().get(1).name());
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 10));
        Files.delete(folder.resolve(customers.files().get(2).name()));
        Path lines = dest.resolve(Layout.tableDir("Order Lines/2024"));
        Files.writeString(lines.resolve("Order%20Lines%2F2024_000000000099.csv"), "id\n1\n");
        Path extra = lines.resolve(manifest(dest, "Order Lines/2024").files().get(0).name());
        Files.writeString(extra, "1,name_1,19,,3.7,false,2020-01-02,2024-01-01T00:01:01.000001,"
                + "2023-12-31T22:00:17.000000Z,12.34,plain\n", StandardOpenOption.APPEND);

        Cli.Result r = Cli.run("verify", "--dest", dest.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.FAILED.code);
        String f0 = customers.files().get(0).name();
        String f1 = customers.files().get(1).name();
        String f2 = customers.files().get(2).name();
        assertThat(r.out().lines().filter(l -> l.startsWith("MISMATCH: ")).toList()).containsExactlyInAnyOrder(
                "MISMATCH: table customers: " + f0 + ": CRC32C " + crc(flipped) + ", the manifest says "
                        + customers.files().get(0).crc32c(),
                "MISMATCH: table customers: " + f1 + ": size " + (whole.length - 10) + " bytes, the manifest says "
                        + whole.length,
                "MISMATCH: table customers: " + f1 + ": CRC32C " + crc(truncated) + ", the manifest says "
                        + customers.files().get(1).crc32c(),
                "MISMATCH: table customers: " + f2 + ": missing",
                "MISMATCH: table Order Lines/2024: " + extra.getFileName() + ": size " + Files.size(extra)
                        + " bytes, the manifest says " + manifest(dest, "Order Lines/2024").files().get(0).bytes(),
                "MISMATCH: table Order Lines/2024: " + extra.getFileName() + ": CRC32C " + crc(extra)
                        + ", the manifest says " + manifest(dest, "Order Lines/2024").files().get(0).crc32c(),
                "MISMATCH: table Order Lines/2024: " + extra.getFileName() + ": "
                        + (manifest(dest, "Order Lines/2024").files().get(0).rows() + 1) + " rows, the manifest says "
                        + manifest(dest, "Order Lines/2024").files().get(0).rows());
        // 10 bytes are less than a row: the cut row still counts, so the rows hold
        assertThat(r.out()).contains("warning: table Order Lines/2024: Order%20Lines%2F2024_000000000099.csv is in"
                + " the table's folder but not in its manifest");
        assertThat(r.out()).contains(": 7 mismatches");
    }

    @Test
    void theVersionedLayoutIsVerifiedThroughItsCurrentRunAndOlderRunsAreNotStrays() throws Exception {
        Path db = warehouse();
        Path dest = export(db, Format.CSV, Compression.GZIP, JobConfig.Versioning.VERSIONED);
        Exports.run(new JobConfig("duckdb:" + db, dest.toString(), Format.CSV, Compression.GZIP, 16 * 1024, 0,
                List.of(), List.of(), JobConfig.Versioning.VERSIONED, 2, 1, 0, Duration.ofHours(1)).validate());
        Manifest m = manifest(dest, "customers");
        assertThat(m.files().get(0).name()).startsWith("run=" + m.execution() + "/");
        try (var runs = Files.list(dest.resolve("customers"))) {
            assertThat(runs.filter(p -> p.getFileName().toString().startsWith("run="))).hasSize(2);
        }

        Cli.Result ok = Cli.run("verify", "--dest", dest.toString(), "--against-source", "duckdb:" + db);
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains(", 1500 rows at ").doesNotContain("warning");

        Path file = dest.resolve("customers").resolve(m.files().get(1).name());
        Files.write(file, new byte[] {0x1f, (byte) 0x8b, 8, 0});
        Cli.Result bad = Cli.run("verify", "--dest", dest.toString(), "--table", "cust*");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.FAILED.code);
        assertThat(bad.out()).contains("MISMATCH: table customers: " + m.files().get(1).name() + ": cannot be read as"
                + " csv (gzip): ").contains("Verified 1 tables, ");
    }

    @Test
    void theSourcesRowsNowAreComparedAndATableWithoutManifestIsNamed() throws Exception {
        Path db = warehouse();
        Path dest = export(db, Format.PARQUET, Compression.ZSTD, JobConfig.Versioning.REPLACE);
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO customers SELECT * FROM customers LIMIT 5");
            s.execute(Warehouse.table("added later", 3));
        }

        Cli.Result r = Cli.run("verify", "--dest", dest.toString(), "--against-source", "duckdb:" + db);

        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED.code);
        assertThat(r.out().lines().filter(l -> l.startsWith("MISMATCH"))).containsExactly(
                "MISMATCH: table customers: the source holds 1205 rows now, the export 1200",
                "MISMATCH: table added later: in the source but no manifest at " + dest.toAbsolutePath());
        Cli.Result some = Cli.run("verify", "--dest", dest.toString(), "--against-source", "duckdb:" + db,
                "--table", "empty,Order*");
        assertThat(some.exitCode()).as(some.out()).isZero();
        assertThat(some.out()).contains("Verified 2 tables, ");
    }

    @Test
    void rowsTheManifestDoesNotKnowAreNotCheckedAndItSaysSo() throws Exception {
        Path db = warehouse();
        Path dest = export(db, Format.JSONL, Compression.ZSTD, JobConfig.Versioning.REPLACE);
        Path path = dest.resolve(Layout.manifest("customers"));
        Manifest m = manifest(dest, "customers");
        Manifest unknown = new Manifest(m.table(), m.execution(), m.plannedAt(), m.publishedAt(), m.format(),
                m.compression(), -1, m.bytes(), m.columns(),
                m.files().stream().map(f -> new Manifest.File(f.name(), -1, f.bytes(), f.crc32c())).toList());
        Files.write(path, Json.write(unknown));

        Cli.Result r = Cli.run("verify", "--dest", dest.toString(), "--against-source", "duckdb:" + db);

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("note: table customers: the manifest does not say how many rows (the exporter"
                + " did not): rows not checked");
        // the source is compared with the rows counted in the files instead
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("DELETE FROM customers WHERE id = 1");
        }
        Cli.Result changed = Cli.run("verify", "--dest", dest.toString(), "--against-source", "duckdb:" + db);
        assertThat(changed.out()).contains("MISMATCH: table customers: the source holds 1199 rows now, the export 1200");
    }

    @Test
    void nothingToVerifyIsABadJobInOneLine() throws Exception {
        Cli.Result none = Cli.run("verify", "--dest", dir.resolve("no-such-folder").toString());
        assertThat(none.exitCode()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(none.err().lines()).containsExactly("spillway: nothing at " + dir.resolve("no-such-folder")
                + ": no such folder or bucket prefix, or it is empty");
        Files.createDirectories(dir.resolve("other/t"));
        Files.writeString(dir.resolve("other/t/file.csv"), "a\n");
        Cli.Result noManifest = Cli.run("verify", "--dest", dir.resolve("other").toString());
        assertThat(noManifest.exitCode()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(noManifest.err()).startsWith("spillway: no manifests at ");
        Path dest = export(warehouse(), Format.CSV, Compression.NONE, JobConfig.Versioning.REPLACE);
        Cli.Result noTable = Cli.run("verify", "--dest", dest.toString(), "--table", "nope*");
        assertThat(noTable.exitCode()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(noTable.err()).isEqualTo("spillway: --table 'nope*' matches no table with a manifest at "
                + dest.toAbsolutePath() + "\n");
        assertThat(Cli.run("verify").exitCode()).isEqualTo(ExitCode.BAD_JOB.code);
    }

    private static String crc(Path file) throws Exception {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(file));
        return String.format("%08x", crc.getValue());
    }
}
