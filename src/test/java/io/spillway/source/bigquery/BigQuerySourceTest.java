package io.spillway.source.bigquery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.engine.ExitCode;
import io.spillway.format.AvroFiles;
import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.layout.Layout;
import io.spillway.retry.Retry;
import io.spillway.source.Sources;
import io.spillway.source.bigquery.FakeBigQueryServer.Field;
import io.spillway.spi.Compression;
import io.spillway.spi.ExportException;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.store.Stores;
import io.spillway.store.gcs.FakeGcsServer;
import io.spillway.store.local.LocalStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source with the real BigQuery client against {@link FakeBigQueryServer}, one unit at a time
 * into a {@link FakeGcsServer} bucket: listing, extract job configuration, snapshots, job ids and
 * re-attaching, retries, and the errors that say what to fix.
 */
class BigQuerySourceTest {
    private static final String PROJECT = "spillway-test";
    private static final String BUCKET = "exports";
    private static final Retry QUICK = new Retry(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));

    private static FakeGcsServer gcs;
    private static FakeBigQueryServer bq;

    private String dataset;
    private TestDataset data;
    private Store store;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        gcs = FakeGcsServer.start();
        gcs.createBucket(BUCKET);
        bq = FakeBigQueryServer.start(gcs);
    }

    @AfterAll
    static void stop() {
        bq.close();
        gcs.close();
    }

    @BeforeEach
    void dataset() {
        dataset = "ds_" + UUID.randomUUID().toString().replace('-', '_');
        data = TestDataset.create(bq, PROJECT, dataset, 3);
        store = Stores.open(gcs.dest(BUCKET, dataset), Map.of());
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    private BigQuerySource source(String options) {
        return new BigQuerySource(BigQuerySettings.from(bq.source(PROJECT, dataset) + options, Map.of())
                .withTiming(QUICK, Duration.ofMillis(10), Duration.ofMillis(50)));
    }

    private ShardWriter writer(String execution, String table, Format format, Compression compression) {
        return new ShardWriter(store, Layout.stagingUnit(execution, table, 0, UUID.randomUUID().toString()), format,
                compression, 1L << 30);
    }

    private static List<ShardFile> export(BigQuerySource source, String table, ShardWriter out) throws Exception {
        source.export(Unit.whole(table, 1), out);
        return out.finish();
    }

    private List<String> jobsOf(String execution) {
        return bq.created().stream().filter(id -> id.startsWith("spillway_" + execution + "_")).toList();
    }

    @Test
    void listsTablesWithTheirSizesAndSkipsWhatExtractJobsCannotRead() throws Exception {
        bq.createOther(PROJECT, dataset, "a_view", "VIEW");
        bq.createOther(PROJECT, dataset, "a_mview", "MATERIALIZED_VIEW");
        bq.createOther(PROJECT, dataset, "an_external", "EXTERNAL");

        try (BigQuerySource source = source("")) {
            List<TableInfo> tables = source.tables();

            assertThat(tables).extracting(TableInfo::name).containsExactly("t_01", "t_02", "t_03");
            TableInfo first = tables.get(0);
            assertThat(first.estimatedRows()).isEqualTo(data.tables.get("t_01").size());
            assertThat(first.estimatedBytes()).isPositive();
            assertThat(first.columns()).extracting(c -> c.name() + " " + c.type())
                    .containsExactly("id INT64", "name STRING", "score FLOAT64", "active BOOL", "note STRING");
            assertThat(source.tables(List.of("t_02", "gone"))).extracting(TableInfo::name).containsExactly("t_02");
        }
    }

    @Test
    void theChangeMarkerIsTheLastModifiedTimeRowsAndBytesAndChangesWithTheRows() throws Exception {
        String before;
        try (BigQuerySource source = source("")) {
            TableInfo t = source.tables().get(0);
            before = source.changeMarker(t).orElseThrow();
            assertThat(before).matches("lastModified=\\d+;rows=" + data.tables.get("t_01").size() + ";bytes=\\d+");
            assertThat(source.changeMarker(t)).contains(before);
        }
        Thread.sleep(5);
        bq.replaceRows(PROJECT, dataset, "t_01", TestDataset.rows(3, 99));
        try (BigQuerySource source = source("")) {
            assertThat(source.changeMarker(source.tables().get(0)).orElseThrow()).isNotEqualTo(before)
                    .contains(";rows=3;");
            assertThatThrownBy(() -> source.cursorMark(source.tables().get(0), "id")).isInstanceOf(JobException.class)
                    .hasMessageContaining("--cursor is not supported");
        }
    }

    @Test
    void theFactoryOpensBigQueryUris() throws Exception {
        try (var source = Sources.open(bq.source(PROJECT, dataset) + "&location=US")) {
            assertThat(source).isInstanceOf(BigQuerySource.class);
            assertThat(source.uri()).isEqualTo("bigquery://" + PROJECT + "/" + dataset + "?location=US");
        }
        assertThatThrownBy(() -> Sources.open("bigquery://" + PROJECT)).isInstanceOf(JobException.class)
                .hasMessageContaining("bigquery://PROJECT/DATASET");
        assertThatThrownBy(() -> Sources.open("bigquery://" + PROJECT + "/d?colour=red"))
                .isInstanceOf(JobException.class).hasMessageContaining("colour");
    }

    @Test
    void aUnitIsOneExtractJobWritingCsvShardsThatTheWriterAdoptsWithSizesAndChecksums() throws Exception {
        bq.rowsPerFile(40);
        try (BigQuerySource source = source("")) {
            source.begin("e1", null);
            List<ShardFile> files = export(source, "t_02", writer("e1", "t_02", Format.CSV, Compression.NONE));

            List<String> jobs = jobsOf("e1");
            assertThat(jobs).hasSize(1);
            var extract = bq.extract(jobs.get(0));
            assertThat(extract.get("destinationFormat").asText()).isEqualTo("CSV");
            assertThat(extract.get("printHeader").asBoolean()).isTrue();
            assertThat(extract.get("destinationUris").get(0).asText()).isEqualTo("gs://" + BUCKET + "/" + dataset + "/"
                    + Layout.stagingTable("e1", "t_02") + "0/extract-0/*.csv");
            int rows = data.tables.get("t_02").size();
            assertThat(files).hasSize((rows + 39) / 40);
            for (ShardFile f : files) {
                byte[] content = gcs.get(BUCKET, dataset + "/" + f.path()).orElseThrow();
                assertThat(f.bytes()).isEqualTo(content.length);
                CRC32C crc = new CRC32C();
                crc.update(content);
                assertThat(f.crc32c()).isEqualTo(String.format("%08x", crc.getValue()));
                assertThat(f.rows()).isEqualTo(files.size() == 1 ? rows : -1);
                assertThat(new String(content, UTF_8)).startsWith("id,name,score,active,note\n");
            }
        } finally {
            bq.rowsPerFile(100);
        }
    }

    @Test
    void formatsCompressionsHeaderAndDelimiterGoIntoTheJob() throws Exception {
        try (BigQuerySource source = source("&header=false&delimiter=tab")) {
            source.begin("e2", null);
            List<ShardFile> jsonl = export(source, "t_01", writer("e2", "t_01", Format.JSONL, Compression.GZIP));
            String line = new String(new GZIPInputStream(new ByteArrayInputStream(
                    gcs.get(BUCKET, dataset + "/" + jsonl.get(0).path()).orElseThrow())).readAllBytes(), UTF_8);
            assertThat(line).startsWith("{\"id\":1,\"name\":\"name_1\"");
            assertThat(jsonl.get(0).path()).endsWith("/extract-0/000000000000.jsonl.gz");

            export(source, "t_02", writer("e2", "t_02", Format.CSV, Compression.GZIP));
            export(source, "t_03", writer("e2", "t_03", Format.PARQUET, Compression.NONE));

            List<String> jobs = jobsOf("e2");
            assertThat(jobs).hasSize(3);
            var json = bq.extract(jobs.get(0));
            assertThat(json.get("destinationFormat").asText()).isEqualTo("NEWLINE_DELIMITED_JSON");
            assertThat(json.get("compression").asText()).isEqualTo("GZIP");
            var csv = bq.extract(jobs.get(1));
            assertThat(csv.get("printHeader").asBoolean()).isFalse();
            assertThat(csv.get("fieldDelimiter").asText()).isEqualTo("\t");
            assertThat(bq.extract(jobs.get(2)).get("destinationFormat").asText()).isEqualTo("PARQUET");
            assertThatThrownBy(() -> export(source, "t_01", writer("e2", "t_01", Format.CSV, Compression.ZSTD)))
                    .isInstanceOf(JobException.class).hasMessageContaining("none, gzip");
        }
    }

    @Test
    void avroIsExtractedWithLogicalTypesAndTheCompressionsBigQueryAllowsForIt() throws Exception {
        try (BigQuerySource source = source("")) {
            source.begin("avro", null);
            List<ShardFile> files = export(source, "t_01", writer("avro", "t_01", Format.AVRO, Compression.DEFLATE));

            var extract = bq.extract(jobsOf("avro").get(0));
            assertThat(extract.get("destinationFormat").asText()).isEqualTo("AVRO");
            assertThat(extract.get("compression").asText()).isEqualTo("DEFLATE");
            assertThat(extract.get("useAvroLogicalTypes").asBoolean()).isTrue();
            assertThat(extract.get("destinationUris").get(0).asText()).endsWith("/extract-0/*.avro");
            assertThat(files).hasSize(3).allSatisfy(f -> assertThat(f.path()).endsWith(".avro"));
            AvroFiles.Read first = AvroFiles.read(gcs.get(BUCKET, dataset + "/" + files.get(0).path()).orElseThrow());
            assertThat(first.codec()).isEqualTo("deflate");
            assertThat(first.rows()).containsExactlyElementsOf(data.tables.get("t_01").subList(0, 100));
            assertThatThrownBy(() -> export(source, "t_02", writer("avro", "t_02", Format.AVRO, Compression.ZSTD)))
                    .isInstanceOf(JobException.class)
                    .hasMessageContaining("BigQuery extracts --format avro with --compression none, deflate, snappy, not zstd");
        }
    }

    @Test
    void everyTableIsReadAsOfTheMomentGivenOrLiveWithoutOne() throws Exception {
        Instant planned = Instant.now();
        Thread.sleep(5);
        bq.replaceRows(PROJECT, dataset, "t_01", TestDataset.rows(3, 99));
        try (BigQuerySource source = source("")) {
            source.begin("snap", planned);
            List<ShardFile> old = export(source, "t_01", writer("snap", "t_01", Format.CSV, Compression.NONE));
            source.begin("live", null);
            List<ShardFile> now = export(source, "t_01", writer("live", "t_01", Format.CSV, Compression.NONE));

            assertThat(bq.extract(jobsOf("snap").get(0)).get("sourceTable").get("tableId").asText())
                    .isEqualTo("t_01@" + planned.toEpochMilli());
            assertThat(bq.extract(jobsOf("live").get(0)).get("sourceTable").get("tableId").asText()).isEqualTo("t_01");
            assertThat(old.stream().mapToLong(ShardFile::bytes).sum()).isGreaterThan(now.get(0).bytes());
            assertThat(now.get(0).rows()).isEqualTo(3);
            assertThat(old.get(0).rows()).as("the table changed after the snapshot: its row count now is not the one read")
                    .isEqualTo(-1);
        }
    }

    @Test
    void aSnapshotBeforeTheTableExistedSaysToStartANewExecution() throws Exception {
        try (BigQuerySource source = source("")) {
            source.begin("early", Instant.now().minusSeconds(3600));
            assertThatThrownBy(() -> export(source, "t_01", writer("early", "t_01", Format.CSV, Compression.NONE)))
                    .isInstanceOf(JobException.class).hasMessageContaining("time-travel window")
                    .hasMessageContaining("--no-snapshot");
        }
    }

    @Test
    void jobIdsAreRepeatableAndValidForEveryTableName() {
        String a = ExtractJob.baseId("exec.1", "t_01", 0, "gs://b/x/|p.d");
        assertThat(ExtractJob.baseId("exec.1", "t_01", 0, "gs://b/x/|p.d")).isEqualTo(a);
        assertThat(ExtractJob.baseId("exec.1", "t_01", 0, "gs://b/y/|p.d")).isNotEqualTo(a);
        assertThat(ExtractJob.baseId("exec.2", "t_01", 0, "gs://b/x/|p.d")).isNotEqualTo(a);
        assertThat(a).matches("spillway_exec_1_t_01_0_[0-9a-f]{12}");
        String odd = ExtractJob.baseId("e", "Ünïcödé tablé ".repeat(100), 3, "w");
        assertThat(odd).matches("[A-Za-z0-9_-]+").hasSizeLessThan(1024);
    }

    @Test
    void aRetriedExportReattachesToTheJobOfTheFirstInsteadOfStartingAnother() throws Exception {
        try (BigQuerySource first = source(""); BigQuerySource retry = source("")) {
            first.begin("again", null);
            retry.begin("again", null);
            List<ShardFile> a = export(first, "t_01", writer("again", "t_01", Format.CSV, Compression.NONE));
            List<ShardFile> b = export(retry, "t_01", writer("again", "t_01", Format.CSV, Compression.NONE));

            List<String> jobs = jobsOf("again");
            assertThat(jobs).hasSize(1);
            assertThat(bq.inserts(jobs.get(0))).isEqualTo(2);
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void aJobThatFailsTransientlyIsSubmittedAgainUnderTheNextId() throws Exception {
        bq.failJobs(1, "backendError", "Backend error. Job aborted.");
        try (BigQuerySource source = source("")) {
            source.begin("flaky", null);
            List<ShardFile> files = export(source, "t_01", writer("flaky", "t_01", Format.CSV, Compression.NONE));

            List<String> jobs = jobsOf("flaky");
            assertThat(jobs).hasSize(2);
            assertThat(jobs.get(1)).isEqualTo(jobs.get(0) + "_1");
            assertThat(files).allMatch(f -> f.path().contains("/extract-1/"));
        }
    }

    @Test
    void quotaAndRateLimitsAreRetriedWithBackoffThenFailWithExitCodeOne() throws Exception {
        String insert = "POST /bigquery/v2/projects/" + PROJECT + "/jobs";
        bq.failNext(2, 403, "quotaExceeded", "Quota exceeded: Your project exceeded quota for extract bytes per day.", insert);
        try (BigQuerySource source = source("")) {
            source.begin("quota", null);
            export(source, "t_01", writer("quota", "t_01", Format.CSV, Compression.NONE));
            assertThat(jobsOf("quota")).hasSize(1);

            bq.failNext(3, 403, "rateLimitExceeded", "Exceeded rate limits: too many api requests", insert);
            assertThatThrownBy(() -> export(source, "t_02", writer("quota", "t_02", Format.CSV, Compression.NONE)))
                    .isInstanceOf(ExportException.class).hasMessageContaining("rate limits")
                    .satisfies(e -> assertThat(ExitCode.of(e)).isEqualTo(ExitCode.FAILED));

            bq.failJobs(ExtractJob.TRIES, "quotaExceeded", "Quota exceeded: extract bytes per day");
            assertThatThrownBy(() -> export(source, "t_03", writer("quota", "t_03", Format.CSV, Compression.NONE)))
                    .isInstanceOf(ExportException.class).hasMessageContaining("Quota exceeded")
                    .satisfies(e -> assertThat(ExitCode.of(e)).isEqualTo(ExitCode.FAILED));
        }
    }

    @Test
    void aMissingDatasetOrPermissionIsAJobErrorNamingWhatToGrant() throws Exception {
        try (BigQuerySource source = new BigQuerySource(BigQuerySettings.from(bq.source(PROJECT, "no_such"), Map.of()))) {
            assertThatThrownBy(source::tables).isInstanceOf(JobException.class)
                    .hasMessageContaining(PROJECT + ":no_such does not exist");
        }
        try (BigQuerySource source = source("")) {
            bq.deny("bigquery.tables.list");
            assertThatThrownBy(source::tables).isInstanceOf(JobException.class)
                    .hasMessageContaining("roles/bigquery.dataViewer");
            bq.allow("bigquery.tables.list");

            source.tables();
            source.begin("denied", null);
            bq.deny("bigquery.jobs.create");
            assertThatThrownBy(() -> export(source, "t_01", writer("denied", "t_01", Format.CSV, Compression.NONE)))
                    .isInstanceOf(JobException.class).hasMessageContaining("roles/bigquery.jobUser");
            bq.allow("bigquery.jobs.create");

            bq.deny("storage.objects.create");
            assertThatThrownBy(() -> export(source, "t_02", writer("denied", "t_02", Format.CSV, Compression.NONE)))
                    .isInstanceOf(JobException.class).hasMessageContaining("roles/storage.objectUser");
        } finally {
            bq.allow("bigquery.tables.list");
            bq.allow("bigquery.jobs.create");
            bq.allow("storage.objects.create");
        }
    }

    @Test
    void aLocationThatIsNotTheDatasetsIsAJobError() throws Exception {
        try (BigQuerySource source = source("&location=EU")) {
            assertThatThrownBy(source::tables).isInstanceOf(JobException.class)
                    .hasMessageContaining("is in location US, not EU");
        }
        try (BigQuerySource source = source("&location=EU")) { // no listing: the job itself is refused
            source.begin("eu", null);
            assertThatThrownBy(() -> export(source, "t_01", writer("eu", "t_01", Format.CSV, Compression.NONE)))
                    .isInstanceOf(JobException.class).hasMessageContaining("not found in location EU")
                    .hasMessageContaining("?location=");
        }
    }

    @Test
    void nestedOrRepeatedColumnsAsCsvAreRefusedBeforeAnyJobWithFormatsThatHoldThem() throws Exception {
        bq.createTable(PROJECT, dataset, "nested", List.of(Field.of("id", "INTEGER"), Field.repeated("tags", "STRING"),
                Field.record("address", Field.of("city", "STRING"))), List.of(List.of(1L, List.of("a", "b"),
                Map.of("city", "Lyon"))));
        try (BigQuerySource source = source("")) {
            source.begin("nested", null);
            assertThatThrownBy(() -> export(source, "nested", writer("nested", "nested", Format.CSV, Compression.NONE)))
                    .isInstanceOf(JobException.class).hasMessageContaining("tags, address")
                    .hasMessageContaining("--format jsonl, parquet or avro");
            assertThat(jobsOf("nested")).isEmpty();
            assertThat(source.tables(List.of("nested")).get(0).columns()).extracting(c -> c.type())
                    .containsExactly("INT64", "ARRAY<STRING>", "STRUCT<city STRING>");

            List<ShardFile> files = export(source, "nested", writer("nested", "nested", Format.JSONL, Compression.NONE));
            assertThat(new String(gcs.get(BUCKET, dataset + "/" + files.get(0).path()).orElseThrow(), UTF_8))
                    .isEqualTo("{\"id\":1,\"tags\":[\"a\",\"b\"],\"address\":{\"city\":\"Lyon\"}}\n");
        }
    }

    @Test
    void aDestinationThatIsNotABucketIsAJobError() throws Exception {
        try (BigQuerySource source = source(""); Store local = new LocalStore(dir)) {
            source.begin("local", null);
            ShardWriter out = new ShardWriter(local, Layout.stagingUnit("local", "t_01", 0, "x"), Format.CSV,
                    Compression.NONE, 1L << 30);
            assertThatThrownBy(() -> source.export(Unit.whole("t_01", 1), out)).isInstanceOf(JobException.class)
                    .hasMessageContaining("--dest gs://BUCKET");
        }
    }
}
