package io.spillway.store.gcs;

import com.google.api.gax.paging.Page;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.store.BucketUri;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A Google Cloud Storage bucket, or a folder in one, on the official client's JSON API.
 *
 * <p>Objects are written by resumable upload ({@link GcsOutput}): one chunk buffered at a time,
 * the object created only when the upload is finalised at commit. Small objects (manifests, records)
 * go in one request, not gzip-encoded: they gain little from it, and emulators such as Firebase's
 * refuse gzip-encoded uploads. Create-if-absent is an upload
 * with {@code ifGenerationMatch=0}; a move is a server-side rewrite, then a delete. The client
 * retries every call on transient errors (429, 5xx, resets, timeouts) with jittered exponential
 * backoff within the bounds of {@link io.spillway.retry.Retry#DEFAULT}, resuming uploads where
 * they broke off; permanent errors become messages that name the bucket and the permission.
 * Thread safe.
 */
public final class GcsStore implements Store {
    static final List<String> PERMISSIONS = List.of("storage.objects.list", "storage.objects.get",
            "storage.objects.create", "storage.objects.delete");

    private final GcsSettings settings;
    private final BucketUri uri;
    private final Storage storage;

    GcsStore(GcsSettings settings) {
        this.settings = settings;
        this.uri = settings.uri();
        this.storage = client(settings);
    }

    /** Opens {@code gs://BUCKET[/PREFIX][?options]}. */
    public static GcsStore open(String dest, Map<String, String> env) {
        return new GcsStore(GcsSettings.from(dest, env));
    }

    private static Storage client(GcsSettings settings) {
        var retry = settings.retry();
        StorageOptions.Builder b = StorageOptions.http()
                .setRetrySettings(RetrySettings.newBuilder()
                        .setMaxAttempts(retry.attempts())
                        .setInitialRetryDelayDuration(retry.firstDelay())
                        .setRetryDelayMultiplier(2.0)
                        .setMaxRetryDelayDuration(retry.maxDelay())
                        .setTotalTimeoutDuration(retry.deadline())
                        .setInitialRpcTimeoutDuration(java.time.Duration.ofMinutes(2))
                        .setMaxRpcTimeoutDuration(java.time.Duration.ofMinutes(2))
                        .setRpcTimeoutMultiplier(1.0)
                        .setJittered(true)
                        .build())
                // every call here may be repeated safely: overwrites, deletes, copies, and creates guarded by a precondition
                .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy());
        settings.project().ifPresent(b::setProjectId);
        if (settings.endpoint().isPresent()) {
            b.setHost(settings.endpoint().get().toString()).setCredentials(NoCredentials.getInstance());
            if (settings.project().isEmpty()) {
                b.setProjectId("spillway-local");
            }
        } else {
            try {
                b.setCredentials(GoogleCredentials.getApplicationDefault());
            } catch (IOException e) {
                throw new JobException("no Google credentials for " + settings.uri() + ": run 'gcloud auth"
                        + " application-default login', set GOOGLE_APPLICATION_CREDENTIALS, or run with a service"
                        + " account", e);
            }
        }
        return b.build().getService();
    }

    @Override
    public String uri() {
        return uri.toString();
    }

    Storage storage() {
        return storage;
    }

    BlobId id(String path) {
        return BlobId.of(uri.bucket(), uri.key(path));
    }

    /** Runs one call (the client retries it), mapping permanent errors to messages naming the bucket and permission. */
    <T> T call(String action, String permission, Callable<T> call) throws IOException {
        try {
            return call.call();
        } catch (StorageException e) {
            throw GcsErrors.map(e, uri.bucket(), action, permission);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while trying to " + action + " in " + uri);
        } catch (Exception e) {
            throw new IOException("cannot " + action + " in " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkWritable() throws IOException {
        List<Boolean> granted = call("reach", "storage.buckets.get",
                () -> storage.testIamPermissions(uri.bucket(), PERMISSIONS));
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < PERMISSIONS.size(); i++) {
            if (i >= granted.size() || !granted.get(i)) {
                missing.add(PERMISSIONS.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new JobException("no permission to export to bucket " + uri.bucket() + ": the credentials lack "
                    + String.join(", ", missing) + " (e.g. grant roles/storage.objectAdmin on the bucket)");
        }
    }

    @Override
    public StoreOutput create(String path) throws IOException {
        BlobInfo info = BlobInfo.newBuilder(id(path)).setContentType("application/octet-stream").build();
        WriteChannel channel = call("write", "storage.objects.create", () -> storage.writer(info));
        channel.setChunkSize(settings.chunkSize());
        return new GcsOutput(this, path, channel);
    }

    @Override
    public void write(String path, byte[] content) throws IOException {
        BlobInfo info = BlobInfo.newBuilder(id(path)).setContentType(contentType(path)).build();
        call("write", "storage.objects.create", () -> storage.create(info, content, Storage.BlobTargetOption.disableGzipContent()));
    }

    @Override
    public boolean createIfAbsent(String path, byte[] content) throws IOException {
        BlobInfo info = BlobInfo.newBuilder(id(path)).setContentType(contentType(path)).build();
        try {
            call("create", "storage.objects.create",
                    () -> storage.create(info, content, Storage.BlobTargetOption.doesNotExist(),
                            Storage.BlobTargetOption.disableGzipContent()));
            return true;
        } catch (PreconditionFailed e) {
            // a retry after a lost answer finds our own object: it is ours if it holds our bytes
            return read(path).map(b -> Arrays.equals(b, content)).orElse(false);
        }
    }

    private static String contentType(String path) {
        return path.endsWith(".json") ? "application/json" : "application/octet-stream";
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        BlobId id = id(path);
        try {
            return Optional.of(call("read", "storage.objects.get", () -> storage.readAllBytes(id)));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        BlobId id = id(path);
        Blob blob = call("read", "storage.objects.get", () -> storage.get(id));
        if (blob == null) {
            throw new NoSuchFileException(uri + "/" + path);
        }
        // pin the generation: a reader never mixes two versions of one object
        ReadChannel channel = storage.reader(BlobId.of(id.getBucket(), id.getName(), blob.getGeneration()));
        channel.setChunkSize(2 << 20);
        return Channels.newInputStream(channel);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        String keyPrefix = uri.keyPrefix(prefix);
        List<StoredObject> found = call("list", "storage.objects.list", () -> {
            List<StoredObject> all = new ArrayList<>();
            Page<Blob> page = storage.list(uri.bucket(), BlobListOption.prefix(keyPrefix),
                    BlobListOption.fields(Storage.BlobField.NAME, Storage.BlobField.SIZE));
            for (Blob b : page.iterateAll()) {
                all.add(new StoredObject(uri.path(b.getName()), b.getSize() == null ? 0 : b.getSize()));
            }
            return all;
        });
        found.sort(Comparator.comparing(StoredObject::path));
        return found;
    }

    @Override
    public void move(String from, String to) throws IOException {
        BlobId source = id(from);
        BlobId target = id(to);
        try {
            call("copy", "storage.objects.get and storage.objects.create", () -> storage.copy(
                    Storage.CopyRequest.newBuilder().setSource(source).setTarget(target).build()).getResult());
        } catch (NotFound e) {
            throw new NoSuchFileException(uri + "/" + from);
        }
        delete(from);
    }

    @Override
    public void delete(String path) throws IOException {
        BlobId id = id(path);
        call("delete", "storage.objects.delete", () -> storage.delete(id));
    }

    @Override
    public Optional<String> nativeUri(String prefix) {
        return Optional.of("gs://" + uri.bucket() + "/" + uri.keyPrefix(prefix));
    }

    @Override
    public Optional<String> crc32c(String path) throws IOException {
        BlobId id = id(path);
        Blob blob = call("read", "storage.objects.get",
                () -> storage.get(id, Storage.BlobGetOption.fields(Storage.BlobField.CRC32C)));
        return Optional.ofNullable(blob).map(Blob::getCrc32cToHexString);
    }

    @Override
    public void close() throws IOException {
        try {
            storage.close();
        } catch (Exception e) {
            throw new IOException("cannot close the client of " + uri, e);
        }
    }

    /** The object does not exist (HTTP 404 on an object). */
    static final class NotFound extends ExportException {
        NotFound(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A precondition such as "does not exist" did not hold (HTTP 412). */
    static final class PreconditionFailed extends ExportException {
        PreconditionFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
