package io.spillway.source.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spillway.store.gcs.FakeGcsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A BigQuery stand-in for tests: a loopback HTTP server speaking the part of the REST API v2 that
 * the official Java client uses for extracts, so the real client can be pointed at it with
 * {@code setHost(endpoint())} and {@code NoCredentials}:
 *
 * <ul>
 * <li>{@code GET /bigquery/v2/projects/P/datasets/D} (with its location)
 * <li>{@code GET .../datasets/D/tables?maxResults=&pageToken=} (paged; tables, views, materialized views, external)
 * <li>{@code GET .../datasets/D/tables/T} (schema, numRows, numBytes, creation and last modified times)
 * <li>{@code POST /bigquery/v2/projects/P/jobs} (extract jobs; the client gzips the body; 409 on a known id)
 * <li>{@code GET /bigquery/v2/projects/P/jobs/ID?location=L[&fields=a,b]}: PENDING, then RUNNING, then DONE
 *     by the clock; {@code fields} keeps only those top-level fields
 * </ul>
 *
 * A job that becomes DONE writes its files into a {@link FakeGcsServer}, as BigQuery writes into
 * GCS: the one {@code *} of the destination URI becomes 000000000000, 000000000001... with
 * {@link #rowsPerFile} rows each (at least one file); CSV has its header in every file, JSON lines
 * one object per row, and both may be gzipped; Avro files are real ({@link ExtractedAvro}), Parquet
 * files are not (a marker line, then the rows as JSON lines). A source table may carry a time
 * decorator {@code T@<epoch-ms>}: the job reads the table's version as of then ({@link #replaceRows}
 * makes a new version).
 *
 * <p>Tests can deny permissions ({@link #deny}), answer API calls with errors ({@link #failNext}),
 * make jobs fail ({@link #failJobs}), hold jobs running ({@link #hold}), and count inserts per job
 * id ({@link #inserts}, {@link #created}). Thread safe; everything lives in memory.
 */
public final class FakeBigQueryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A column: {@code type} as the API names it (STRING, INTEGER, FLOAT, BOOLEAN, RECORD...), {@code mode} NULLABLE or REPEATED. */
    public record Field(String name, String type, String mode, List<Field> fields) {
        public static Field of(String name, String type) {
            return new Field(name, type, "NULLABLE", List.of());
        }

        public static Field repeated(String name, String type) {
            return new Field(name, type, "REPEATED", List.of());
        }

        public static Field record(String name, Field... fields) {
            return new Field(name, "RECORD", "NULLABLE", List.of(fields));
        }
    }

    private static final class Table {
        final String name;
        final String type;
        final List<Field> schema;
        final NavigableMap<Long, List<List<Object>>> versions = new TreeMap<>();

        Table(String name, String type, List<Field> schema) {
            this.name = name;
            this.type = type;
            this.schema = List.copyOf(schema);
        }
    }

    private record Dataset(String location, NavigableMap<String, Table> tables) {}

    private static final class Job {
        final String project;
        final String id;
        final String location;
        final ObjectNode configuration;
        final long created;
        String state = "PENDING";
        ObjectNode error;
        List<Long> fileCounts = List.of();
        long inputBytes;

        Job(String project, String id, String location, ObjectNode configuration, long created) {
            this.project = project;
            this.id = id;
            this.location = location;
            this.configuration = configuration;
            this.created = created;
        }
    }

    private record Fault(int count, int status, String reason, String message, String match) {}

    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final FakeGcsServer gcs;
    private final Map<String, Dataset> datasets = new HashMap<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, Integer> inserts = new HashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final List<ObjectNode> jobFailures = new ArrayList<>();
    private volatile long pendingMillis = 20;
    private volatile long runningMillis = 150;
    private volatile boolean held;
    private volatile int rowsPerFile = 100;

    private FakeBigQueryServer(FakeGcsServer gcs) throws IOException {
        this.gcs = gcs;
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts a server on 127.0.0.1 and a free port whose extract jobs write into {@code gcs}. */
    public static FakeBigQueryServer start(FakeGcsServer gcs) throws IOException {
        return new FakeBigQueryServer(gcs);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** {@code bigquery://PROJECT/DATASET?endpoint=...} pointing at this server. */
    public String source(String project, String dataset) {
        return "bigquery://" + project + "/" + dataset + "?endpoint=" + endpoint();
    }

    public synchronized void createDataset(String project, String dataset, String location) {
        datasets.putIfAbsent(project + ":" + dataset, new Dataset(location, new TreeMap<>()));
    }

    /** Creates (or replaces) a table holding {@code rows}, each a list of values in column order. */
    public synchronized void createTable(String project, String dataset, String name, List<Field> schema,
            List<List<Object>> rows) {
        Table t = new Table(name, "TABLE", schema);
        t.versions.put(System.currentTimeMillis(), copy(rows));
        dataset(project, dataset).tables().put(name, t);
    }

    /** Creates a table of another type: VIEW, MATERIALIZED_VIEW or EXTERNAL. */
    public synchronized void createOther(String project, String dataset, String name, String type) {
        Table t = new Table(name, type, List.of(Field.of("x", "STRING")));
        t.versions.put(System.currentTimeMillis(), List.of());
        dataset(project, dataset).tables().put(name, t);
    }

    /** Gives a table new contents from now on; time decorators before now still read the old ones. */
    public synchronized void replaceRows(String project, String dataset, String name, List<List<Object>> rows) {
        Table t = dataset(project, dataset).tables().get(name);
        long now = Math.max(System.currentTimeMillis(), t.versions.lastKey() + 1);
        t.versions.put(now, copy(rows));
    }

    private static List<List<Object>> copy(List<List<Object>> rows) {
        List<List<Object>> c = new ArrayList<>();
        rows.forEach(r -> c.add(new ArrayList<>(r)));
        return c;
    }

    private Dataset dataset(String project, String dataset) {
        Dataset d = datasets.get(project + ":" + dataset);
        if (d == null) {
            throw new IllegalArgumentException("no dataset " + project + ":" + dataset);
        }
        return d;
    }

    /** Rows per extracted file. */
    public void rowsPerFile(int rows) {
        rowsPerFile = rows;
    }

    /** Keeps every job RUNNING (after its PENDING time) until {@link #release}. */
    public void hold() {
        held = true;
    }

    public void release() {
        held = false;
    }

    /** How long jobs stay PENDING, then RUNNING, from their insert. */
    public void timing(long pending, long running) {
        pendingMillis = pending;
        runningMillis = running;
    }

    /** Makes calls needing {@code permission} answer 403: bigquery.jobs.create, bigquery.tables.list, storage.objects.create (extract writes). */
    public void deny(String permission) {
        denied.add(permission);
    }

    public void allow(String permission) {
        denied.remove(permission);
    }

    /** Answers the next {@code count} requests whose "METHOD path?query" contains {@code match} with an error. */
    public synchronized void failNext(int count, int status, String reason, String message, String match) {
        faults.add(new Fault(count, status, reason, message, match));
    }

    /** The next {@code count} jobs to be inserted end DONE with this error. */
    public synchronized void failJobs(int count, String reason, String message) {
        for (int i = 0; i < count; i++) {
            jobFailures.add(JSON.createObjectNode().put("reason", reason).put("message", message));
        }
    }

    /** How many inserts asked for job {@code id}, including those answered "already exists". */
    public synchronized int inserts(String id) {
        return inserts.getOrDefault(id, 0);
    }

    /** The ids of the jobs created, in order. */
    public synchronized List<String> created() {
        return List.copyOf(jobs.keySet().stream().map(k -> k.substring(k.indexOf('/') + 1)).toList());
    }

    /** The configuration.extract of a created job, as sent. */
    public synchronized JsonNode extract(String id) {
        return jobs.values().stream().filter(j -> j.id.equals(id)).findFirst().orElseThrow().configuration.get("extract");
    }

    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            String line = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            Fault fault = record(line);
            if (fault != null) {
                error(ex, fault.status(), fault.reason(), fault.message());
                return;
            }
            route(ex, body);
        } catch (RuntimeException e) {
            error(ex, 500, "internalError", "fake server error: " + e);
        }
    }

    private synchronized Fault record(String line) {
        requests.add(line);
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (line.contains(f.match())) {
                if (f.count() <= 1) {
                    faults.remove(i);
                } else {
                    faults.set(i, new Fault(f.count() - 1, f.status(), f.reason(), f.message(), f.match()));
                }
                return f;
            }
        }
        return null;
    }

    private void route(HttpExchange ex, byte[] body) throws IOException {
        List<String> p = new ArrayList<>();
        for (String s : ex.getRequestURI().getRawPath().split("/")) {
            if (!s.isEmpty()) {
                p.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String method = ex.getRequestMethod();
        if (p.size() < 4 || !p.get(0).equals("bigquery") || !p.get(1).equals("v2") || !p.get(2).equals("projects")) {
            error(ex, 501, "notImplemented", "the fake does not know " + method + " " + ex.getRequestURI());
            return;
        }
        String project = p.get(3);
        if (p.size() == 5 && p.get(4).equals("jobs") && method.equals("POST")) {
            insert(ex, project, body);
        } else if (p.size() == 6 && p.get(4).equals("jobs") && method.equals("GET")) {
            getJob(ex, project, p.get(5), query.get("location"), query.get("fields"));
        } else if (p.size() >= 6 && p.get(4).equals("datasets") && method.equals("GET")) {
            datasetCall(ex, project, p.get(5), p.subList(6, p.size()), query);
        } else {
            error(ex, 501, "notImplemented", "the fake does not know " + method + " " + ex.getRequestURI());
        }
    }

    private void datasetCall(HttpExchange ex, String project, String name, List<String> rest, Map<String, String> query)
            throws IOException {
        if (denied.contains("bigquery.tables.list")) {
            error(ex, 403, "accessDenied", "Access Denied: Dataset " + project + ":" + name
                    + ": Permission bigquery.tables.list denied on dataset " + project + ":" + name);
            return;
        }
        ObjectNode answer;
        synchronized (this) {
            Dataset d = datasets.get(project + ":" + name);
            if (d == null) {
                error(ex, 404, "notFound", "Not found: Dataset " + project + ":" + name);
                return;
            }
            if (rest.isEmpty()) {
                answer = JSON.createObjectNode().put("kind", "bigquery#dataset").put("id", project + ":" + name)
                        .put("location", d.location());
                answer.putObject("datasetReference").put("projectId", project).put("datasetId", name);
            } else if (rest.size() == 1 && rest.get(0).equals("tables")) {
                answer = list(project, name, d, query);
            } else if (rest.size() == 2 && rest.get(0).equals("tables")) {
                Table t = d.tables().get(rest.get(1));
                if (t == null) {
                    error(ex, 404, "notFound", "Not found: Table " + project + ":" + name + "." + rest.get(1));
                    return;
                }
                answer = table(project, name, d, t, true);
            } else {
                error(ex, 501, "notImplemented", "the fake does not know " + ex.getRequestURI());
                return;
            }
        }
        json(ex, 200, answer);
    }

    private ObjectNode list(String project, String dataset, Dataset d, Map<String, String> query) {
        int max = Integer.parseInt(query.getOrDefault("maxResults", "50"));
        String token = query.get("pageToken");
        ArrayNode items = JSON.createArrayNode();
        String next = null;
        for (Table t : (token == null ? d.tables() : d.tables().tailMap(token, false)).values()) {
            if (items.size() == max) {
                next = items.get(items.size() - 1).get("tableReference").get("tableId").asText();
                break;
            }
            items.add(table(project, dataset, d, t, false));
        }
        ObjectNode answer = JSON.createObjectNode().put("kind", "bigquery#tableList").put("totalItems", d.tables().size());
        answer.set("tables", items);
        if (next != null) {
            answer.put("nextPageToken", next);
        }
        return answer;
    }

    private ObjectNode table(String project, String dataset, Dataset d, Table t, boolean full) {
        ObjectNode n = JSON.createObjectNode().put("kind", "bigquery#table")
                .put("id", project + ":" + dataset + "." + t.name).put("type", t.type)
                .put("creationTime", Long.toString(t.versions.firstKey()));
        n.putObject("tableReference").put("projectId", project).put("datasetId", dataset).put("tableId", t.name);
        switch (t.type) {
            case "VIEW" -> n.putObject("view").put("query", "SELECT 1 AS x").put("useLegacySql", false);
            case "MATERIALIZED_VIEW" -> n.putObject("materializedView").put("query", "SELECT 1 AS x");
            case "EXTERNAL" -> n.putObject("externalDataConfiguration").put("sourceFormat", "CSV")
                    .putArray("sourceUris").add("gs://elsewhere/x.csv");
            default -> { }
        }
        if (full) {
            List<List<Object>> rows = t.versions.lastEntry().getValue();
            n.put("location", d.location()).put("lastModifiedTime", Long.toString(t.versions.lastKey()))
                    .put("numRows", Integer.toString(rows.size())).put("numBytes", Long.toString(bytes(rows)));
            ArrayNode fields = n.putObject("schema").putArray("fields");
            t.schema.forEach(f -> fields.add(field(f)));
        }
        return n;
    }

    private static ObjectNode field(Field f) {
        ObjectNode n = JSON.createObjectNode().put("name", f.name()).put("type", f.type()).put("mode", f.mode());
        if (!f.fields().isEmpty()) {
            ArrayNode sub = n.putArray("fields");
            f.fields().forEach(s -> sub.add(field(s)));
        }
        return n;
    }

    private static long bytes(List<List<Object>> rows) {
        return rows.stream().mapToLong(r -> r.stream().mapToLong(v -> v == null ? 1 : String.valueOf(v).length() + 1).sum())
                .sum();
    }

    private void insert(HttpExchange ex, String project, byte[] body) throws IOException {
        JsonNode job = JSON.readTree(body);
        JsonNode ref = job.get("jobReference");
        String id = ref.get("jobId").asText();
        String location = ref.hasNonNull("location") ? ref.get("location").asText() : "US";
        if (denied.contains("bigquery.jobs.create")) {
            error(ex, 403, "accessDenied", "Access Denied: Project " + project
                    + ": User does not have bigquery.jobs.create permission in project " + project + ".");
            return;
        }
        JsonNode extract = job.path("configuration").path("extract");
        if (extract.isMissingNode()) {
            error(ex, 400, "invalid", "the fake runs extract jobs only");
            return;
        }
        JsonNode source = extract.get("sourceTable");
        Job created;
        synchronized (this) {
            inserts.merge(id, 1, Integer::sum);
            String key = project + "/" + id;
            if (jobs.containsKey(key)) {
                error(ex, 409, "duplicate", "Already Exists: Job " + project + ":" + location + "." + id);
                return;
            }
            Dataset d = datasets.get(source.get("projectId").asText() + ":" + source.get("datasetId").asText());
            if (d != null && !d.location().equalsIgnoreCase(location)) {
                error(ex, 404, "notFound", "Not found: Dataset " + source.get("projectId").asText() + ":"
                        + source.get("datasetId").asText() + " was not found in location " + location);
                return;
            }
            ObjectNode configuration = ((ObjectNode) job.get("configuration")).deepCopy().put("jobType", "EXTRACT");
            created = new Job(project, id, location, configuration, System.currentTimeMillis());
            if (!jobFailures.isEmpty()) {
                created.error = jobFailures.remove(0);
            }
            jobs.put(key, created);
        }
        json(ex, 200, resource(created));
    }

    private void getJob(HttpExchange ex, String project, String id, String location, String fields)
            throws IOException {
        Job job;
        synchronized (this) {
            job = jobs.get(project + "/" + id);
        }
        if (job == null || (location != null && !location.equalsIgnoreCase(job.location))) {
            error(ex, 404, "notFound", "Not found: Job " + project + ":" + location + "." + id);
            return;
        }
        synchronized (job) {
            long age = System.currentTimeMillis() - job.created;
            if (job.state.equals("PENDING") && age >= pendingMillis) {
                job.state = "RUNNING";
            }
            if (job.state.equals("RUNNING") && age >= runningMillis && !held) {
                if (job.error == null) {
                    run(job);
                }
                job.state = "DONE";
            }
        }
        ObjectNode answer = resource(job);
        if (fields != null) { // a partial answer, as the API gives: the client asks for one after "already exists"
            answer.retain(List.of(fields.split(",")));
        }
        json(ex, 200, answer);
    }

    /** Does the extract: reads the table (as of its decorator) and writes the files into GCS. */
    private void run(Job job) throws IOException {
        JsonNode extract = job.configuration.get("extract");
        JsonNode source = extract.get("sourceTable");
        String[] decorated = source.get("tableId").asText().split("@", 2);
        Table t;
        List<List<Object>> rows;
        synchronized (this) {
            Dataset d = datasets.get(source.get("projectId").asText() + ":" + source.get("datasetId").asText());
            t = d == null ? null : d.tables().get(decorated[0]);
            if (t == null || !t.type.equals("TABLE")) {
                job.error = error("notFound", "Not found: Table " + source.get("projectId").asText() + ":"
                        + source.get("datasetId").asText() + "." + decorated[0]);
                return;
            }
            var version = decorated.length == 2 ? t.versions.floorEntry(Long.parseLong(decorated[1])) : t.versions.lastEntry();
            if (version == null) {
                job.error = error("invalid", "Invalid snapshot time " + decorated[1] + " for table " + decorated[0]
                        + ". Cannot read before " + t.versions.firstKey());
                return;
            }
            rows = version.getValue();
        }
        String format = extract.path("destinationFormat").asText("CSV");
        if (format.equals("CSV") && t.schema.stream().anyMatch(f -> f.mode().equals("REPEATED") || !f.fields().isEmpty())) {
            job.error = error("invalid", "Operation cannot be performed on a nested schema. Field: "
                    + t.schema.stream().filter(f -> f.mode().equals("REPEATED") || !f.fields().isEmpty()).findFirst()
                            .orElseThrow().name());
            return;
        }
        if (denied.contains("storage.objects.create")) {
            job.error = error("accessDenied", "Access Denied: BigQuery BigQuery: Permission denied while writing data."
                    + " The caller does not have storage.objects.create access to the Google Cloud Storage bucket.");
            return;
        }
        String uri = extract.get("destinationUris").get(0).asText();
        String bucket = uri.substring("gs://".length(), uri.indexOf('/', "gs://".length()));
        String pattern = uri.substring(uri.indexOf('/', "gs://".length()) + 1);
        long count = 0;
        for (int from = 0, n = 0; from < rows.size() || n == 0; from += rowsPerFile, n++) {
            List<List<Object>> chunk = rows.subList(Math.min(from, rows.size()), Math.min(from + rowsPerFile, rows.size()));
            gcs.put(bucket, pattern.replace("*", String.format("%012d", n)), file(extract, format, t.schema, chunk));
            count++;
        }
        job.fileCounts = List.of(count);
        job.inputBytes = bytes(rows);
    }

    private static byte[] file(JsonNode extract, String format, List<Field> schema, List<List<Object>> rows)
            throws IOException {
        if (format.equals("AVRO")) {
            return ExtractedAvro.file(schema, rows, extract.path("compression").asText("NONE"));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean gzip = extract.path("compression").asText("NONE").equals("GZIP")
                && (format.equals("CSV") || format.equals("NEWLINE_DELIMITED_JSON"));
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes) {
            StringBuilder sb = new StringBuilder();
            if (format.equals("CSV")) {
                String delimiter = extract.path("fieldDelimiter").asText(",");
                if (extract.path("printHeader").asBoolean(true)) {
                    sb.append(String.join(delimiter, schema.stream().map(Field::name).toList())).append('\n');
                }
                for (List<Object> row : rows) {
                    sb.append(String.join(delimiter, row.stream().map(v -> csv(v, delimiter)).toList())).append('\n');
                }
            } else {
                if (!format.equals("NEWLINE_DELIMITED_JSON")) {
                    sb.append("FAKE ").append(format).append(" FILE\n");
                }
                for (List<Object> row : rows) {
                    ObjectNode o = JSON.createObjectNode();
                    for (int i = 0; i < schema.size(); i++) {
                        o.set(schema.get(i).name(), JSON.valueToTree(row.get(i)));
                    }
                    sb.append(JSON.writeValueAsString(o)).append('\n');
                }
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String csv(Object value, String delimiter) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        return s.contains(delimiter) || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private ObjectNode resource(Job job) {
        ObjectNode n = JSON.createObjectNode().put("kind", "bigquery#job")
                .put("id", job.project + ":" + job.location + "." + job.id)
                .put("selfLink", endpoint() + "/bigquery/v2/projects/" + job.project + "/jobs/" + job.id)
                .put("user_email", "tester@example.com");
        n.putObject("jobReference").put("projectId", job.project).put("jobId", job.id).put("location", job.location);
        synchronized (job) {
            n.set("configuration", job.configuration.deepCopy());
            ObjectNode status = n.putObject("status").put("state", job.state);
            ObjectNode stats = n.putObject("statistics").put("creationTime", Long.toString(job.created));
            if (!job.state.equals("PENDING")) {
                stats.put("startTime", Long.toString(job.created + pendingMillis));
            }
            if (job.state.equals("DONE")) {
                stats.put("endTime", Long.toString(System.currentTimeMillis()));
                if (job.error != null) {
                    status.set("errorResult", job.error.deepCopy());
                    status.putArray("errors").add(job.error.deepCopy());
                } else {
                    ObjectNode ex = stats.putObject("extract").put("inputBytes", Long.toString(job.inputBytes));
                    ArrayNode counts = ex.putArray("destinationUriFileCounts");
                    job.fileCounts.forEach(c -> counts.add(Long.toString(c)));
                }
            }
        }
        return n;
    }

    private static ObjectNode error(String reason, String message) {
        return JSON.createObjectNode().put("reason", reason).put("message", message);
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void error(HttpExchange ex, int status, String reason, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode inner = body.putObject("error").put("code", status).put("message", message);
        inner.putArray("errors").addObject().put("message", message).put("domain", "global").put("reason", reason);
        json(ex, status, body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                String[] p = kv.split("=", 2);
                q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p.length == 2 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
    }
}
