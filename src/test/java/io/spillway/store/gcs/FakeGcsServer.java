package io.spillway.store.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * A Google Cloud Storage stand-in for tests: a loopback HTTP server speaking the part of the JSON
 * API that the official Java client uses, so the real client can be pointed at it with
 * {@code setHost(endpoint())} and {@code NoCredentials}:
 *
 * <ul>
 * <li>{@code GET /storage/v1/b/B} (bucket), {@code GET /storage/v1/b/B/iam/testPermissions}
 * <li>{@code GET /storage/v1/b/B/o?prefix=&pageToken=&maxResults=} (list, paged)
 * <li>{@code GET /storage/v1/b/B/o/NAME} (metadata; {@code alt=media} downloads, with {@code Range}
 *     and {@code generation}; also under {@code /download})
 * <li>{@code DELETE /storage/v1/b/B/o/NAME}
 * <li>{@code POST /upload/storage/v1/b/B/o?uploadType=media|multipart|resumable}, then {@code PUT}
 *     of resumable chunks with {@code Content-Range}, answered 308 until the last one
 * <li>{@code POST /storage/v1/b/B/o/SRC/rewriteTo/b/B2/o/DST} and {@code .../copyTo/...}; a rewrite
 *     of an object larger than {@link #rewriteStep} (1 MiB) takes several calls, each answering a
 *     {@code rewriteToken} until the last, as the service does for large objects
 * </ul>
 *
 * Request bodies may be gzip-encoded, as the Java client sends multipart uploads by default.
 *
 * Objects have generations, and {@code ifGenerationMatch} (0 = "does not exist") and
 * {@code ifGenerationNotMatch} preconditions answer 412. Tests can put and read objects directly
 * ({@link #put}, {@link #get}), deny permissions ({@link #deny}), and inject failures
 * ({@link #failNext}, {@link #dropNext}). Every request is recorded ({@link #requests()}).
 * Thread safe; objects live in memory.
 */
public final class FakeGcsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stored object. */
    public record StoredBlob(String name, byte[] content, long generation, String contentType, Instant updated) {}

    private record Session(String bucket, String name, String contentType, Map<String, String> conditions,
            ByteArrayOutputStream data) {}

    private record Fault(int count, int status, String match) {}

    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Map<String, NavigableMap<String, StoredBlob>> buckets = new HashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final AtomicLong generations = new AtomicLong(1_000_000);
    private volatile long rewriteStep = 1 << 20;

    private FakeGcsServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static FakeGcsServer start() throws IOException {
        return new FakeGcsServer();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** {@code gs://BUCKET/PREFIX} pointing at this server. */
    public String dest(String bucket, String prefix) {
        return "gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + "?endpoint=" + endpoint();
    }

    /** The environment that points a task process at this server. */
    public Map<String, String> env() {
        return Map.of("SPILLWAY_GCS_ENDPOINT", endpoint().toString());
    }

    public synchronized void createBucket(String bucket) {
        buckets.putIfAbsent(bucket, new TreeMap<>());
    }

    /** Stores an object as an upload would, e.g. a file that a fake BigQuery extract job writes. */
    public synchronized StoredBlob put(String bucket, String name, byte[] content) {
        NavigableMap<String, StoredBlob> b = buckets.get(bucket);
        if (b == null) {
            throw new IllegalArgumentException("no bucket " + bucket);
        }
        StoredBlob blob = new StoredBlob(name, content.clone(), generations.incrementAndGet(),
                "application/octet-stream", Instant.now());
        b.put(name, blob);
        return blob;
    }

    public synchronized Optional<byte[]> get(String bucket, String name) {
        return Optional.ofNullable(buckets.getOrDefault(bucket, new TreeMap<>()).get(name)).map(o -> o.content().clone());
    }

    /** The names of the objects in {@code bucket} under {@code prefix}, sorted. */
    public synchronized List<String> names(String bucket, String prefix) {
        return buckets.getOrDefault(bucket, new TreeMap<>()).keySet().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    /** Resumable uploads begun and neither finalised nor cancelled. */
    public int openUploads() {
        return sessions.size();
    }

    /** Makes checks of {@code permission} (e.g. storage.objects.delete) fail, and calls that need it answer 403. */
    /** Rewrites of objects larger than this take several calls, {@code bytes} each. */
    public void rewriteStep(long bytes) {
        rewriteStep = bytes;
    }

    public void deny(String permission) {
        denied.add(permission);
    }

    /** Answers the next {@code count} requests whose "METHOD path?query" contains {@code match} with {@code status}. */
    public synchronized void failNext(int count, int status, String match) {
        faults.add(new Fault(count, status, match));
    }

    /** Closes the connection without an answer for the next {@code count} matching requests (a reset). */
    public synchronized void dropNext(int count, String match) {
        faults.add(new Fault(count, 0, match));
    }

    /** Every request so far, as "METHOD path?query". */
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
                body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            String line = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            Integer fault = record(line);
            if (fault != null) {
                if (fault == 0) {
                    return; // closed without an answer
                }
                error(ex, fault, "injected failure");
                return;
            }
            route(ex, body);
        } catch (RuntimeException e) {
            error(ex, 500, "fake server error: " + e);
        }
    }

    private synchronized Integer record(String line) {
        requests.add(line);
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (line.contains(f.match())) {
                if (f.count() <= 1) {
                    faults.remove(i);
                } else {
                    faults.set(i, new Fault(f.count() - 1, f.status(), f.match()));
                }
                return f.status();
            }
        }
        return null;
    }

    private void route(HttpExchange ex, byte[] body) throws IOException {
        String method = ex.getRequestMethod();
        Map<String, List<String>> query = query(ex.getRequestURI().getRawQuery());
        List<String> p = segments(ex.getRequestURI().getRawPath());
        if (!p.isEmpty() && p.get(0).equals("download")) {
            p = p.subList(1, p.size());
        }
        boolean upload = !p.isEmpty() && p.get(0).equals("upload");
        if (upload) {
            p = p.subList(1, p.size());
        }
        if (p.size() < 4 || !p.get(0).equals("storage") || !p.get(1).equals("v1") || !p.get(2).equals("b")) {
            error(ex, 501, "the fake does not know " + method + " " + ex.getRequestURI());
            return;
        }
        String bucket = p.get(3);
        if (!bucketExists(bucket)) {
            error(ex, 404, "The specified bucket does not exist.");
            return;
        }
        if (p.size() == 4 && method.equals("GET")) {
            json(ex, 200, JSON.createObjectNode().put("kind", "storage#bucket").put("name", bucket).put("id", bucket));
        } else if (p.size() == 6 && p.get(4).equals("iam") && p.get(5).equals("testPermissions")) {
            var granted = JSON.createArrayNode();
            query.getOrDefault("permissions", List.of()).stream().filter(x -> !denied.contains(x)).forEach(granted::add);
            json(ex, 200, JSON.createObjectNode().put("kind", "storage#testIamPermissionsResponse")
                    .set("permissions", granted));
        } else if (upload && p.size() == 5 && p.get(4).equals("o")) {
            upload(ex, bucket, query, body);
        } else if (p.size() == 5 && p.get(4).equals("o") && method.equals("GET")) {
            list(ex, bucket, query);
        } else if (p.size() == 6 && p.get(4).equals("o")) {
            object(ex, bucket, p.get(5), query);
        } else if (p.size() == 11 && p.get(4).equals("o") && (p.get(6).equals("rewriteTo") || p.get(6).equals("copyTo"))
                && method.equals("POST")) {
            copy(ex, bucket, p.get(5), p.get(8), p.get(10), query, p.get(6).equals("rewriteTo"));
        } else {
            error(ex, 501, "the fake does not know " + method + " " + ex.getRequestURI());
        }
    }

    private synchronized boolean bucketExists(String bucket) {
        return buckets.containsKey(bucket);
    }

    private void list(HttpExchange ex, String bucket, Map<String, List<String>> query) throws IOException {
        if (denied.contains("storage.objects.list")) {
            error(ex, 403, "caller does not have storage.objects.list access");
            return;
        }
        String prefix = first(query, "prefix", "");
        String token = first(query, "pageToken", null);
        int max = Integer.parseInt(first(query, "maxResults", "1000"));
        var items = JSON.createArrayNode();
        String next = null;
        synchronized (this) {
            var tail = token == null ? buckets.get(bucket) : buckets.get(bucket).tailMap(token, false);
            for (StoredBlob b : tail.values()) {
                if (!b.name().startsWith(prefix)) {
                    continue;
                }
                if (items.size() == max) {
                    next = items.get(items.size() - 1).get("name").asText();
                    break;
                }
                items.add(metadata(bucket, b));
            }
        }
        ObjectNode answer = JSON.createObjectNode().put("kind", "storage#objects");
        answer.set("items", items);
        if (next != null) {
            answer.put("nextPageToken", next);
        }
        json(ex, 200, answer);
    }

    private void object(HttpExchange ex, String bucket, String name, Map<String, List<String>> query)
            throws IOException {
        String needed = ex.getRequestMethod().equals("DELETE") ? "storage.objects.delete" : "storage.objects.get";
        if (denied.contains(needed)) {
            error(ex, 403, "caller does not have " + needed + " access");
            return;
        }
        StoredBlob blob;
        synchronized (this) {
            blob = buckets.get(bucket).get(name);
        }
        String generation = first(query, "generation", null);
        if (blob == null || generation != null && Long.parseLong(generation) != blob.generation()) {
            error(ex, 404, "No such object: " + bucket + "/" + name);
            return;
        }
        switch (ex.getRequestMethod()) {
            case "GET" -> {
                if (denied.contains("storage.objects.get")) {
                    error(ex, 403, "caller does not have storage.objects.get access");
                } else if ("media".equals(first(query, "alt", "json"))) {
                    media(ex, bucket, blob);
                } else {
                    json(ex, 200, metadata(bucket, blob));
                }
            }
            case "DELETE" -> {
                if (denied.contains("storage.objects.delete")) {
                    error(ex, 403, "caller does not have storage.objects.delete access");
                    return;
                }
                String failed = precondition(blob, query);
                if (failed != null) {
                    error(ex, 412, failed);
                    return;
                }
                synchronized (this) {
                    buckets.get(bucket).remove(name, blob);
                }
                ex.sendResponseHeaders(204, -1);
            }
            default -> error(ex, 501, "the fake does not know " + ex.getRequestMethod() + " on objects");
        }
    }

    private void media(HttpExchange ex, String bucket, StoredBlob blob) throws IOException {
        byte[] content = blob.content();
        String range = ex.getRequestHeaders().getFirst("Range");
        long start = 0;
        long end = content.length - 1L;
        if (range != null && range.startsWith("bytes=")) {
            String[] r = range.substring(6).split("-", -1);
            start = Long.parseLong(r[0]);
            if (!r[1].isEmpty()) {
                end = Math.min(end, Long.parseLong(r[1]));
            }
            if (start >= content.length && content.length > 0) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                error(ex, 416, "Request range not satisfiable");
                return;
            }
        }
        var h = ex.getResponseHeaders();
        h.set("Content-Type", blob.contentType());
        h.set("x-goog-generation", Long.toString(blob.generation()));
        h.set("x-goog-metageneration", "1");
        h.set("x-goog-stored-content-length", Integer.toString(content.length));
        h.set("x-goog-hash", "crc32c=" + crc32c(content) + ",md5=" + md5(content));
        h.set("ETag", "\"" + blob.generation() + "\"");
        int length = (int) Math.max(0, end - start + 1);
        if (range != null) {
            h.set("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
        }
        ex.sendResponseHeaders(range != null ? 206 : 200, length == 0 ? -1 : length);
        if (length > 0) {
            ex.getResponseBody().write(content, (int) start, length);
        }
    }

    private void upload(HttpExchange ex, String bucket, Map<String, List<String>> query, byte[] body)
            throws IOException {
        if (denied.contains("storage.objects.create")) {
            error(ex, 403, "caller does not have storage.objects.create access");
            return;
        }
        String type = first(query, "uploadType", "media");
        String uploadId = first(query, "upload_id", null);
        if (uploadId != null) {
            chunk(ex, uploadId, body);
            return;
        }
        Map<String, String> conditions = conditions(query);
        switch (type) {
            case "media" -> finish(ex, bucket, first(query, "name", null),
                    ex.getRequestHeaders().getFirst("Content-Type"), conditions, body);
            case "multipart" -> multipart(ex, bucket, conditions, body);
            case "resumable" -> {
                JsonNode meta = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
                String name = meta.hasNonNull("name") ? meta.get("name").asText() : first(query, "name", null);
                String id = UUID.randomUUID().toString();
                String contentType = meta.hasNonNull("contentType") ? meta.get("contentType").asText()
                        : "application/octet-stream";
                sessions.put(id, new Session(bucket, name, contentType, conditions, new ByteArrayOutputStream()));
                ex.getResponseHeaders().set("Location", endpoint() + "/upload/storage/v1/b/" + encode(bucket)
                        + "/o?uploadType=resumable&upload_id=" + id);
                ex.getResponseHeaders().set("X-GUploader-UploadID", id);
                ex.sendResponseHeaders(200, -1);
            }
            default -> error(ex, 501, "the fake does not know uploadType=" + type);
        }
    }

    private void multipart(HttpExchange ex, String bucket, Map<String, String> conditions, byte[] body)
            throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        String boundary = contentType.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        List<byte[]> parts = parts(body, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        if (parts.size() < 2) {
            error(ex, 400, "multipart upload with " + parts.size() + " parts");
            return;
        }
        JsonNode meta = JSON.readTree(partBody(parts.get(0)));
        byte[] media = partBody(parts.get(1));
        String type = meta.hasNonNull("contentType") ? meta.get("contentType").asText() : "application/octet-stream";
        finish(ex, bucket, meta.get("name").asText(), type, conditions, media);
    }

    private void chunk(HttpExchange ex, String id, byte[] body) throws IOException {
        Session s = sessions.get(id);
        if (s == null) {
            error(ex, 404, "No such upload session " + id);
            return;
        }
        if (ex.getRequestMethod().equals("DELETE")) {
            sessions.remove(id);
            error(ex, 499, "upload cancelled");
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Content-Range");
        String spec = range == null ? "bytes */*" : range.trim();
        String[] parts = spec.substring("bytes ".length()).split("/", 2);
        String total = parts[1];
        synchronized (s) {
            if (!parts[0].equals("*")) {
                long start = Long.parseLong(parts[0].split("-")[0]);
                if (start > s.data().size()) {
                    error(ex, 400, "chunk starts at " + start + " but only " + s.data().size() + " bytes were received");
                    return;
                }
                byte[] kept = s.data().toByteArray();
                s.data().reset();
                s.data().write(kept, 0, (int) start);
                s.data().write(body);
            }
            if (total.equals("*") || Long.parseLong(total) != s.data().size()) {
                if (s.data().size() > 0) {
                    ex.getResponseHeaders().set("Range", "bytes=0-" + (s.data().size() - 1));
                }
                ex.getResponseHeaders().set("Content-Length", "0");
                ex.sendResponseHeaders(308, -1);
                return;
            }
        }
        sessions.remove(id);
        finish(ex, s.bucket(), s.name(), s.contentType(), s.conditions(), s.data().toByteArray());
    }

    private void finish(HttpExchange ex, String bucket, String name, String contentType, Map<String, String> conditions,
            byte[] content) throws IOException {
        if (name == null || name.isEmpty()) {
            error(ex, 400, "an object needs a name");
            return;
        }
        StoredBlob stored;
        synchronized (this) {
            String failed = precondition(buckets.get(bucket).get(name), conditions);
            if (failed != null) {
                error(ex, 412, failed);
                return;
            }
            stored = new StoredBlob(name, content, generations.incrementAndGet(),
                    contentType == null ? "application/octet-stream" : contentType, Instant.now());
            buckets.get(bucket).put(name, stored);
        }
        json(ex, 200, metadata(bucket, stored));
    }

    private void copy(HttpExchange ex, String bucket, String source, String targetBucket, String target,
            Map<String, List<String>> query, boolean rewrite) throws IOException {
        StoredBlob from;
        synchronized (this) {
            from = buckets.get(bucket).get(source);
        }
        if (from == null) {
            error(ex, 404, "No such object: " + bucket + "/" + source);
            return;
        }
        if (!bucketExists(targetBucket)) {
            error(ex, 404, "The specified bucket does not exist.");
            return;
        }
        StoredBlob copy;
        long done;
        synchronized (this) {
            String failed = precondition(buckets.get(targetBucket).get(target), conditions(query));
            if (failed != null) {
                error(ex, 412, failed);
                return;
            }
            // as the service does with large objects: a rewrite goes on over several calls, each resumed by
            // the token the previous one answered, and the target appears only once the last call is done
            done = from.content().length;
            if (rewrite && from.content().length > rewriteStep) {
                String token = first(query, "rewriteToken", null);
                long before = token == null ? 0 : rewriteProgress(token, bucket, source, from, targetBucket, target);
                if (before < 0) {
                    error(ex, 400, "Invalid rewrite token.");
                    return;
                }
                done = Math.min(from.content().length, before + rewriteStep);
            }
            if (done < from.content().length) {
                copy = null;
            } else {
                copy = new StoredBlob(target, from.content(), generations.incrementAndGet(), from.contentType(),
                        Instant.now());
                buckets.get(targetBucket).put(target, copy);
            }
        }
        if (!rewrite) {
            json(ex, 200, metadata(targetBucket, copy));
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("kind", "storage#rewriteResponse")
                .put("totalBytesRewritten", Long.toString(done))
                .put("objectSize", Integer.toString(from.content().length)).put("done", copy != null);
        if (copy == null) {
            answer.put("rewriteToken", String.join("|", bucket, source, Long.toString(from.generation()), targetBucket,
                    target, Long.toString(done)));
        } else {
            answer.set("resource", metadata(targetBucket, copy));
        }
        json(ex, 200, answer);
    }

    /** The bytes a rewrite token says are done, or -1 if it belongs to another rewrite or source generation. */
    private static long rewriteProgress(String token, String bucket, String source, StoredBlob from, String targetBucket,
            String target) {
        String[] t = token.split("\\|", -1);
        boolean same = t.length == 6 && t[0].equals(bucket) && t[1].equals(source)
                && t[2].equals(Long.toString(from.generation())) && t[3].equals(targetBucket) && t[4].equals(target);
        return same ? Long.parseLong(t[5]) : -1;
    }

    private static Map<String, String> conditions(Map<String, List<String>> query) {
        Map<String, String> c = new LinkedHashMap<>();
        for (String k : List.of("ifGenerationMatch", "ifGenerationNotMatch")) {
            if (query.containsKey(k)) {
                c.put(k, query.get(k).get(0));
            }
        }
        return c;
    }

    private static String precondition(StoredBlob current, Map<String, ?> conditions) {
        Object match = conditions.get("ifGenerationMatch");
        if (match instanceof List<?> l) {
            match = l.get(0);
        }
        long generation = current == null ? 0 : current.generation();
        if (match != null && Long.parseLong(match.toString()) != generation) {
            return "At least one of the pre-conditions you specified did not hold.";
        }
        Object notMatch = conditions.get("ifGenerationNotMatch");
        if (notMatch instanceof List<?> l) {
            notMatch = l.get(0);
        }
        if (notMatch != null && Long.parseLong(notMatch.toString()) == generation) {
            return "At least one of the pre-conditions you specified did not hold.";
        }
        return null;
    }

    private ObjectNode metadata(String bucket, StoredBlob b) {
        String id = bucket + "/" + b.name() + "/" + b.generation();
        return JSON.createObjectNode()
                .put("kind", "storage#object")
                .put("id", id)
                .put("selfLink", endpoint() + "/storage/v1/b/" + encode(bucket) + "/o/" + encode(b.name()))
                .put("mediaLink", endpoint() + "/download/storage/v1/b/" + encode(bucket) + "/o/" + encode(b.name())
                        + "?generation=" + b.generation() + "&alt=media")
                .put("name", b.name())
                .put("bucket", bucket)
                .put("generation", Long.toString(b.generation()))
                .put("metageneration", "1")
                .put("contentType", b.contentType())
                .put("storageClass", "STANDARD")
                .put("size", Integer.toString(b.content().length))
                .put("md5Hash", md5(b.content()))
                .put("crc32c", crc32c(b.content()))
                .put("etag", "CAE=")
                .put("timeCreated", b.updated().toString())
                .put("updated", b.updated().toString());
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode inner = error.putObject("error").put("code", status).put("message", message);
        inner.putArray("errors").addObject().put("message", message).put("domain", "global")
                .put("reason", switch (status) {
                    case 404 -> "notFound";
                    case 412 -> "conditionNotMet";
                    case 403 -> "forbidden";
                    case 429 -> "rateLimitExceeded";
                    default -> "backendError";
                });
        json(ex, status, error);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                String[] p = kv.split("=", 2);
                q.computeIfAbsent(decode(p[0]), k -> new ArrayList<>()).add(p.length == 2 ? decode(p[1]) : "");
            }
        }
        return q;
    }

    private static String first(Map<String, List<String>> query, String key, String fallback) {
        List<String> v = query.get(key);
        return v == null || v.isEmpty() ? fallback : v.get(0);
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(decode(s));
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<byte[]> parts(byte[] body, byte[] delimiter) {
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // closing delimiter
            }
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            int end = next;
            if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
                end -= 2;
            }
            parts.add(java.util.Arrays.copyOfRange(body, start, end));
            at = next;
        }
        return parts;
    }

    private static byte[] partBody(byte[] part) {
        int split = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        return java.util.Arrays.copyOfRange(part, split + 4, part.length);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String crc32c(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static String md5(byte[] content) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Undoes {@link #deny}. */
    public void allow(String permission) {
        denied.remove(permission);
    }
}
