package io.spillway.source.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.ExtractJobConfiguration;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics.ExtractStatistics;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TableId;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.UnitSink;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit's extract job, from its submission to its files in the writer.
 *
 * <p>The job id is made from the execution, the table and the unit (plus a hash of them and of the
 * staging folder, so it is unique per destination), and the job writes into a folder of the unit's
 * staging area named after its try: a retried or duplicated task submits the same id, gets "already
 * exists", and waits for the job that is running or done instead of starting a second one. A job
 * that fails with a transient error (backend error, rate limit, quota) is submitted again under the
 * id with the next try number, up to {@link #TRIES} tries; a retried task walks the same tries.
 */
final class ExtractJob implements Source.Pending {
    static final int TRIES = 4;
    private static final Logger log = LoggerFactory.getLogger(ExtractJob.class);

    private final BigQuery bigquery;
    private final BigQuerySettings settings;
    private final String location;
    private final Table table;
    private final Instant asOf;
    private final ExtractFormat format;
    private final UnitSink out;
    private final String baseId;
    private final Map<String, String> labels;
    private int tryNumber;
    private JobId jobId;

    ExtractJob(BigQuery bigquery, BigQuerySettings settings, String location, Table table, Instant asOf,
            ExtractFormat format, UnitSink out, String baseId, Map<String, String> labels) {
        this.bigquery = bigquery;
        this.settings = settings;
        this.location = location;
        this.table = table;
        this.asOf = asOf;
        this.format = format;
        this.out = out;
        this.baseId = baseId;
        this.labels = labels;
    }

    /**
     * The id of a unit's first try: {@code spillway_<execution>_<table>_<part>_<hash>}, with what
     * BigQuery does not allow in an id replaced by '_'; {@code where} is hashed in too.
     */
    static String baseId(String execution, String table, int part, String where) {
        String text = String.join("|", where, execution, table, Integer.toString(part));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "spillway_" + clean(execution, 128) + "_" + clean(table, 256) + "_" + part + "_"
                    + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String clean(String text, int max) {
        String c = text.replaceAll("[^A-Za-z0-9_-]", "_");
        return c.length() > max ? c.substring(0, max) : c;
    }

    JobId id() {
        return jobId;
    }

    /** Submits the first try, or finds it submitted by an earlier attempt; returns without waiting. */
    ExtractJob start() throws Exception {
        jobId = submit(0);
        return this;
    }

    private static String folder(int n) {
        return "extract-" + n;
    }

    private String what() {
        return "extract job " + jobId.getJob() + " of table " + table.getTableId().getTable();
    }

    private JobId submit(int n) throws Exception {
        JobId id = JobId.newBuilder().setProject(settings.jobProject()).setLocation(location)
                .setJob(n == 0 ? baseId : baseId + "_" + n).build();
        String uri = out.bucketFiles().orElseThrow(() -> new JobException("BigQuery exports with extract jobs"
                + " that write straight into Cloud Storage: use --dest gs://BUCKET[/PREFIX]")).uri(folder(n)) + "*" + format.suffix();
        TableId source = table.getTableId();
        if (asOf != null && table.getDefinition().getType() != TableDefinition.Type.SNAPSHOT) {
            source = TableId.of(source.getProject(), source.getDataset(), source.getTable() + "@" + asOf.toEpochMilli());
        }
        ExtractJobConfiguration.Builder config = ExtractJobConfiguration.newBuilder(source, List.of(uri))
                .setFormat(format.destinationFormat()).setCompression(format.compression()).setLabels(labels);
        if (format.csv()) {
            config.setPrintHeader(settings.header()).setFieldDelimiter(settings.delimiter());
        }
        if (format.destinationFormat().equals("AVRO")) {
            config.setUseAvroLogicalTypes(true);
        }
        JobInfo info = JobInfo.of(id, config.build());
        Job job = call("start an extract job of table " + source.getTable(), BigQueryErrors.JOB_USER, () -> {
            try {
                return bigquery.create(info);
            } catch (BigQueryException e) {
                if (e.getCode() == 409) {
                    return null; // submitted before, over a day ago: the client only finds younger jobs itself
                }
                throw e;
            }
        });
        log.info("Extract job {} of {} into {}: {}", id.getJob(), source.getTable(), uri,
                job == null || job.getStatus() == null ? "already exists" : job.getStatus().getState());
        return id;
    }

    @Override
    public void await() throws Exception {
        Duration pause = settings.poll();
        while (true) {
            JobId id = jobId;
            Job job = call("look at " + what(), BigQueryErrors.JOB_USER, () -> bigquery.getJob(id));
            if (job == null) {
                throw new ExportException(what() + " is not found in location " + location
                        + " although it was submitted: start a new execution");
            }
            if (job.getStatus().getState() == JobStatus.State.DONE) {
                BigQueryError error = job.getStatus().getError();
                if (error == null) {
                    adopt(job);
                    return;
                }
                if (!BigQueryErrors.isTransient(error) || tryNumber + 1 >= TRIES) {
                    throw BigQueryErrors.failed(error, what());
                }
                Duration wait = backoff(tryNumber);
                log.warn("{} failed ({}: {}); submitting try {} of {} in {} ms", what(), error.getReason(),
                        error.getMessage(), tryNumber + 2, TRIES, wait.toMillis());
                Thread.sleep(wait.toMillis());
                jobId = submit(++tryNumber);
                pause = settings.poll();
                continue;
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(settings.maxPoll()) > 0 ? settings.maxPoll() : pause.multipliedBy(2);
        }
    }

    private Duration backoff(int tries) {
        Duration d = settings.poll().multipliedBy(1L << Math.min(tries + 2, 20));
        return d.compareTo(settings.maxPoll()) > 0 ? settings.maxPoll() : d;
    }

    /** Hands the job's files to the writer, checking them against the number of files the job reports. */
    private void adopt(Job job) throws Exception {
        ExtractStatistics stats = job.getStatistics();
        long expected = stats == null || stats.getDestinationUriFileCounts() == null ? -1
                : stats.getDestinationUriFileCounts().stream().mapToLong(Long::longValue).sum();
        long rows = rows(stats);
        int found = out.bucketFiles().orElseThrow().adopt(folder(tryNumber), rows);
        if (expected >= 0 && found != expected) {
            throw new ExportException(what() + " wrote " + expected + " files but " + found + " are in its folder:"
                    + " were they removed? A new execution exports the table again");
        }
        log.info("{} is done: {} files, {} rows", what(), found, rows < 0 ? "?" : rows);
    }

    /**
     * The rows the job read, when the table's metadata can tell: its row count now is the one the
     * job read if the table has not changed since the moment read (the snapshot time, or the job's
     * start) and has no streaming buffer. -1 otherwise.
     */
    private long rows(ExtractStatistics stats) throws Exception {
        TableId id = table.getTableId();
        Table now = call("read the metadata of table " + id.getTable(), BigQueryErrors.DATA_VIEWER,
                () -> bigquery.getTable(id));
        if (now == null || now.getNumRows() == null || now.getLastModifiedTime() == null) {
            return -1;
        }
        if (now.getDefinition() instanceof StandardTableDefinition s && s.getStreamingBuffer() != null) {
            return -1;
        }
        Long readAt = asOf != null ? Long.valueOf(asOf.toEpochMilli()) : stats == null ? null : stats.getStartTime();
        return readAt != null && now.getLastModifiedTime() <= readAt ? now.getNumRows().longValue() : -1;
    }

    private <T> T call(String what, String role, Callable<T> call) throws Exception {
        return BigQuerySource.call(settings, what, role, call);
    }

    static Map<String, String> labels(String execution) {
        String value = clean(execution.toLowerCase(Locale.ROOT), 63);
        return Map.of("spillway-execution", value);
    }
}
