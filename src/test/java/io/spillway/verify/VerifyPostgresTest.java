package io.spillway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.engine.ExitCode;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code spillway verify} on PostgreSQL exports (the local server, database {@code test}), against the source. */
class VerifyPostgresTest {
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String HOSTILE = "x\"); DROP TABLE t; --\nline";

    @TempDir
    Path dir;
    private final String schema = Exports.unique("sw_verify");
    private Connection connection;

    @BeforeEach
    void tables() throws Exception {
        connection = DriverManager.getConnection(JDBC);
        sql("CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".items (id bigint PRIMARY KEY, note text, at timestamptz)",
                "INSERT INTO " + schema + ".items SELECT g, CASE g % 3 WHEN 0 THEN 'two\nlines, \"quoted\"' WHEN 1"
                        + " THEN NULL ELSE '' END, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute'"
                        + " FROM generate_series(1, 3000) g",
                "CREATE TABLE " + schema + ".\"" + HOSTILE.replace("\"", "\"\"") + "\" (v int)",
                "INSERT INTO " + schema + ".\"" + HOSTILE.replace("\"", "\"\"") + "\" SELECT generate_series(1, 7)",
                "ANALYZE " + schema + ".items");
    }

    @AfterEach
    void drop() throws Exception {
        try {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } finally {
            connection.close();
        }
    }

    private void sql(String... statements) throws Exception {
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private String source() {
        return "postgresql://postgres@127.0.0.1:5432/test?schema=" + schema;
    }

    @ParameterizedTest
    @CsvSource({"csv, gzip", "jsonl, none", "parquet, snappy", "avro, zstd"})
    void anExportReadsBackAndAgreesWithTheSourceUntilEitherChanges(String format, String compression)
            throws Exception {
        Path dest = dir.resolve("out");
        Exports.run(new JobConfig(source(), dest.toString(), Format.parse(format), Compression.parse(compression),
                16 * 1024, 40 * 1024, List.of(), List.of(), JobConfig.Versioning.REPLACE, 3, 1, 0,
                Duration.ofHours(1)).validate());
        Manifest items = Exports.manifest(dest, "items");
        assertThat(items.rows()).isEqualTo(3000);

        Cli.Result ok = Cli.run("verify", "--dest", dest.toString(), "--against-source", source());
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("Verified 2 tables, " + (items.files().size() + 1) + " files, ")
                .contains(", 3007 rows at ").endsWith(": all hold\n");

        sql("DELETE FROM " + schema + ".items WHERE id <= 10",
                "DELETE FROM " + schema + ".\"" + HOSTILE.replace("\"", "\"\"") + "\" WHERE v = 1");
        Path last = dest.resolve(Layout.tableDir("items")).resolve(items.files().get(items.files().size() - 1).name());
        byte[] bytes = Files.readAllBytes(last);
        bytes[bytes.length - 20] ^= 0x40;
        Files.write(last, bytes);

        Cli.Result bad = Cli.run("verify", "--dest", dest.toString(), "--against-source", source());
        assertThat(bad.exitCode()).isEqualTo(ExitCode.FAILED.code);
        assertThat(bad.out()).contains("MISMATCH: table items: " + items.files().get(items.files().size() - 1).name()
                + ": CRC32C ").contains("MISMATCH: table items: the source holds 2990 rows now, the export 3000")
                .as("a line end in a table name is escaped, so it cannot forge an output line")
                .contains("MISMATCH: table x\"); DROP TABLE t; --\\u000aline: the source holds 6 rows now, the export 7");
    }
}
