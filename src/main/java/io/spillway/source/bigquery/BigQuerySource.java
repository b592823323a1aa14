package io.spillway.source.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.TableListOption;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TableId;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.spi.UnitSink;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BigQuery dataset, {@code bigquery://PROJECT/DATASET[?location=...]} (see {@link BigQuerySettings}),
 * exported by server-side extract jobs that write straight into the destination bucket.
 *
 * <p>Tables and snapshots are exported; views, materialized views and external tables cannot be
 * extracted and are skipped with a warning. Each table is one unit (an extract job shards it
 * itself, so {@code --split-size} and {@code --max-file-size} do not apply). {@link #start} submits
 * a unit's job and returns at once, so a task has all its jobs running before it waits for any
 * (see {@link ExtractJob} for ids, re-attaching and retries). Every job reads its table as of the
 * moment {@link #begin} gives, with a time decorator {@code table@<epoch-ms>}.
 *
 * <p>The destination must be a GCS bucket. Files' sizes and CRC32C come from the bucket; rows come
 * from the table's metadata when it has not changed since the moment read, else they are unknown (-1).
 * Used from one thread.
 */
public final class BigQuerySource implements Source {
    private static final Logger log = LoggerFactory.getLogger(BigQuerySource.class);
    private static final int LOOKUPS = 8;

    private final BigQuerySettings settings;
    private final BigQuery bigquery;
    private final DatasetId dataset;
    private final Map<String, Table> tables = new HashMap<>();
    private String location;
    private String execution = "adhoc";
    private Instant asOf;

    BigQuerySource(BigQuerySettings settings) {
        this.settings = settings;
        this.bigquery = client(settings);
        this.dataset = DatasetId.of(settings.project(), settings.dataset());
        this.location = settings.location().orElse(null);
    }

    /** Opens {@code bigquery://PROJECT/DATASET[?options]}; the endpoint may come from {@code env}. */
    public static BigQuerySource open(String uri, Map<String, String> env) {
        return new BigQuerySource(BigQuerySettings.from(uri, env));
    }

    private static BigQuery client(BigQuerySettings settings) {
        BigQueryOptions.Builder b = BigQueryOptions.newBuilder()
                .setProjectId(settings.jobProject())
                // retries are ours (see call), so that rate limits and quota errors back off too
                .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1)
                        .setTotalTimeoutDuration(Duration.ofMinutes(2)).build());
        settings.location().ifPresent(b::setLocation);
        if (settings.endpoint().isPresent()) {
            b.setHost(settings.endpoint().get().toString()).setCredentials(NoCredentials.getInstance());
        } else {
            try {
                b.setCredentials(GoogleCredentials.getApplicationDefault());
            } catch (IOException e) {
                throw new JobException("no Google credentials for " + settings + ": run 'gcloud auth"
                        + " application-default login', set GOOGLE_APPLICATION_CREDENTIALS, or run with a service"
                        + " account", e);
            }
        }
        return b.build().getService();
    }

    @Override
    public String uri() {
        return settings.toString();
    }

    @Override
    public List<TableInfo> tables() throws Exception {
        checkDataset();
        List<String> names = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        call("list the tables of dataset " + settings.datasetName(), BigQueryErrors.DATA_VIEWER, () -> {
            names.clear();
            skipped.clear();
            for (Table t : bigquery.listTables(dataset, TableListOption.pageSize(1000)).iterateAll()) {
                TableDefinition.Type type = t.getDefinition().getType();
                String name = t.getTableId().getTable();
                if (type == TableDefinition.Type.TABLE || type == TableDefinition.Type.SNAPSHOT) {
                    names.add(name);
                } else {
                    skipped.add(name + " (" + type.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
                }
            }
            return null;
        });
        if (!skipped.isEmpty()) {
            log.warn("Skipped {} of dataset {} that extract jobs cannot read: {}", skipped.size(),
                    settings.datasetName(), String.join(", ", skipped));
        }
        List<TableInfo> found = new ArrayList<>(tables(names)); // leaves out tables dropped since the listing
        found.sort(Comparator.comparing(TableInfo::name));
        return found;
    }

    /** Fails with what to fix when the dataset is missing, hidden, or not where ?location= says. */
    private void checkDataset() throws Exception {
        Dataset ds = call("read dataset " + settings.datasetName(), BigQueryErrors.DATA_VIEWER,
                () -> bigquery.getDataset(dataset));
        if (ds == null) {
            throw new JobException("dataset " + settings.datasetName() + " does not exist (or the credentials cannot"
                    + " see it): check PROJECT and DATASET in " + settings + ", and grant " + BigQueryErrors.DATA_VIEWER);
        }
        if (location != null && ds.getLocation() != null && !ds.getLocation().equalsIgnoreCase(location)) {
            throw new JobException("dataset " + settings.datasetName() + " is in location " + ds.getLocation()
                    + ", not " + location + ": drop ?location= from the source, or set it to " + ds.getLocation());
        }
        if (location == null) {
            location = ds.getLocation();
        }
    }

    private List<Table> lookUp(List<String> names) throws Exception {
        if (names.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(LOOKUPS, names.size()));
        try {
            List<Future<Table>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(pool.submit(() -> getTable(name)));
            }
            List<Table> found = new ArrayList<>();
            for (Future<Table> f : futures) {
                try {
                    found.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return found;
        } finally {
            pool.shutdownNow();
        }
    }

    private Table getTable(String name) throws Exception {
        TableId id = TableId.of(settings.project(), settings.dataset(), name);
        return call("read the metadata of table " + name, BigQueryErrors.DATA_VIEWER, () -> bigquery.getTable(id));
    }

    @Override
    public List<TableInfo> tables(Collection<String> names) throws Exception {
        List<TableInfo> found = new ArrayList<>();
        for (Table t : lookUp(List.copyOf(names))) {
            if (t != null) {
                tables.put(t.getTableId().getTable(), t);
                found.add(BigQueryColumns.info(t));
            }
        }
        return found;
    }

    /** Refused: time travel already reads every table as of the plan's time, with no connection to hold. */
    @Override
    public Moment holdMoment() {
        throw new JobException("--consistent is not needed for BigQuery: every task already reads every table as of"
                + " the plan's time (time travel, unless --no-snapshot); drop --consistent");
    }

    /**
     * The table's last modification time, row count and size from its metadata, read with its listing:
     * BigQuery changes the time on every load, DML statement or streaming commit. It misses nothing that
     * changes rows; a change to the table's description or labels alone marks it changed too.
     */
    @Override
    public Optional<String> changeMarker(TableInfo table) throws Exception {
        Table t = tables.get(table.name());
        if (t == null) {
            List<Table> found = lookUp(List.of(table.name()));
            t = found.isEmpty() ? null : found.get(0);
        }
        if (t == null || t.getLastModifiedTime() == null) {
            return Optional.empty();
        }
        return Optional.of("lastModified=" + t.getLastModifiedTime() + ";rows=" + t.getNumRows() + ";bytes="
                + t.getNumBytes());
    }

    @Override
    public void begin(String execution, Instant asOf) {
        this.execution = execution;
        this.asOf = asOf;
    }

    @Override
    public Optional<Pending> start(Unit unit, UnitSink out) throws Exception {
        if (!tables.containsKey(unit.table()) && tables(List.of(unit.table())).isEmpty()) {
            throw new JobException("table " + unit.table() + " is no longer in " + settings
                    + ": it was dropped or renamed after planning");
        }
        Table table = tables.get(unit.table());
        ExtractFormat format = ExtractFormat.of(out.format(), out.compression());
        if (format.csv()) {
            List<String> nested = BigQueryColumns.nested(table);
            if (!nested.isEmpty()) {
                throw new JobException("table " + unit.table() + " has nested or repeated columns (" + String.join(", ",
                        nested) + ") that CSV cannot hold: use --format jsonl, parquet or avro");
            }
        }
        if (location == null) {
            checkDataset();
        }
        String where = out.bucketFiles().map(b -> b.uri("extract")).orElse("") + "|" + settings.project() + "." + settings.dataset();
        String id = ExtractJob.baseId(execution, unit.table(), unit.part(), where);
        ExtractJob job = new ExtractJob(bigquery, settings, location, table, asOf, format, out, id,
                ExtractJob.labels(execution));
        return Optional.of(job.start());
    }

    /** Extract jobs write a table's shards themselves: no row passes through Spillway to be routed. */
    @Override
    public boolean writesRows() {
        return false;
    }

    @Override
    public void export(Unit unit, UnitSink out) throws Exception {
        start(unit, out).orElseThrow().await();
    }

    /**
     * Runs one API call, retrying transient errors (5xx, broken connections, rate limits, quotas)
     * within {@code settings.retry()}, and maps the others to messages naming {@code role}.
     */
    static <T> T call(BigQuerySettings settings, String what, String role, Callable<T> call) throws Exception {
        try {
            return settings.retry().run(what, BigQueryErrors::isTransient, call::call);
        } catch (BigQueryException e) {
            throw BigQueryErrors.map(e, what, role);
        }
    }

    private <T> T call(String what, String role, Callable<T> call) throws Exception {
        return call(settings, what, role, call);
    }

    @Override
    public void close() {
        // the client holds no connections that need closing
    }
}
