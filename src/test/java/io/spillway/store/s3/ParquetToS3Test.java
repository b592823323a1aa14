package io.spillway.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.format.TestDuckDb;
import io.spillway.source.duckdb.DuckDbSource;
import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.RowSink;
import io.spillway.spi.Store;
import io.spillway.spi.Unit;
import io.spillway.store.Stores;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet to a bucket: DuckDB's files go through a local scratch folder, the row writer streams straight to uploads. */
class ParquetToS3Test {
    @TempDir
    static Path dir;
    private static S3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.inMemory();
        server.createBucket("lake");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private long countRows(Store store, List<ShardFile> files) throws Exception {
        Path local = Files.createTempDirectory(dir, "down");
        for (ShardFile f : files) {
            try (InputStream in = store.open(f.path())) {
                Files.copy(in, local.resolve(f.path().replace('/', '_')));
            }
        }
        try (TestDuckDb db = new TestDuckDb()) {
            return (Long) db.value("SELECT count(*) FROM read_parquet(" + TestDuckDb.literal(local + "/*.parquet") + ")");
        }
    }

    @Test
    void duckDbParquetFilesAreUploadedEachWithinTheLimit() throws Exception {
        Path database = dir.resolve("w.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t AS SELECT i AS id, md5(i::VARCHAR) AS h FROM range(200000) r(i)");
        }
        List<ShardFile> files;
        try (Store store = Stores.open(server.dest("lake", "duck"), server.env())) {
            try (DuckDbSource source = DuckDbSource.open("duckdb:" + database);
                    ShardWriter out = new ShardWriter(store, "t/", Format.PARQUET, Compression.ZSTD, 1 << 20)) {
                source.export(Unit.whole("t", 1), out);
                files = out.finish();
            }

            assertThat(files).hasSizeGreaterThan(2).allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(1 << 20));
            assertThat(countRows(store, files)).isEqualTo(200_000);
        }
    }

    @Test
    void rowWriterParquetStreamsIntoUploads() throws Exception {
        List<ShardFile> files;
        try (Store store = Stores.open(server.dest("lake", "rows"), server.env())) {
            try (ShardWriter out = new ShardWriter(store, "t/", Format.PARQUET, Compression.SNAPPY, 256 << 10)) {
                RowSink writer = out.rows(List.of(new Column("id", "bigint"), new Column("h", "text")));
                for (long i : LongStream.range(0, 100_000).toArray()) {
                    writer.write(new Object[] {i, Long.toHexString(i * 0x9E3779B97F4A7C15L)});
                }
                files = out.finish();
            }

            assertThat(files).hasSizeGreaterThan(2).allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(256 << 10));
            assertThat(countRows(store, files)).isEqualTo(100_000);
        }
    }
}
