package io.spillway.store.s3;

import io.spillway.retry.Retry;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.store.BucketUri;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3 bucket, or a folder in one, on Amazon S3 or any S3-compatible server (see {@link S3Settings}).
 *
 * <p>Objects are written by multipart upload from a few bounded part buffers ({@link S3Output});
 * nothing is visible until the upload is completed, and an upload closed without commit is
 * aborted. Create-if-absent is a PUT with {@code If-None-Match: *}; with
 * {@code conditional-writes=false} it falls back to read, write, read back (see docs/stores.md).
 * A move is a server-side copy, then a delete. Every call is retried on transient errors by
 * {@link Retry}; the SDK's own retries are off so that the bounds hold. Thread safe.
 */
public final class S3Store implements Store {
    private static final Logger log = LoggerFactory.getLogger(S3Store.class);

    static final long MAX_COPY = 5L << 30;
    private static final int DELETE_BATCH = 1000;

    private final S3Settings settings;
    private final BucketUri uri;
    private final S3Client s3;
    private final ExecutorService uploads;

    S3Store(S3Settings settings, AwsCredentialsProvider credentials) {
        this.settings = settings;
        this.uri = settings.uri();
        this.s3 = S3Clients.client(settings, credentials);
        AtomicInteger n = new AtomicInteger();
        this.uploads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "s3-upload-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens {@code s3://BUCKET[/PREFIX][?options]}, reading endpoint, region and credentials from {@code env}. */
    public static S3Store open(String dest, Map<String, String> env) {
        return new S3Store(S3Settings.from(dest, env), S3Clients.credentials(env));
    }

    @Override
    public String uri() {
        return uri.toString();
    }

    String bucket() {
        return uri.bucket();
    }

    S3Client client() {
        return s3;
    }

    S3Settings settings() {
        return settings;
    }

    /** Runs one S3 call with retries, mapping permanent errors to messages naming the bucket and permission. */
    <T> T call(String action, String permission, String key, Retry.Call<T> call) throws IOException {
        try {
            return settings.retry().run(action + " s3://" + uri.bucket() + "/" + key, S3Errors::isTransient, call);
        } catch (JobException | ExportException | IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw S3Errors.map(e, uri.bucket(), action, permission);
        }
    }

    <T> Future<T> submit(Callable<T> task) {
        return uploads.submit(task);
    }

    @Override
    public void checkWritable() throws IOException {
        call("reach", "s3:ListBucket", "", () -> s3.headBucket(r -> r.bucket(uri.bucket())));
        call("list objects", "s3:ListBucket", uri.keyPrefix(""),
                () -> s3.listObjectsV2(r -> r.bucket(uri.bucket()).prefix(uri.keyPrefix("")).maxKeys(1)));
    }

    @Override
    public StoreOutput create(String path) {
        return new S3Output(this, uri.key(path), settings.partSize());
    }

    @Override
    public void write(String path, byte[] content) throws IOException {
        String key = uri.key(path);
        call("write", "s3:PutObject", key, () -> s3.putObject(r -> r.bucket(uri.bucket()).key(key),
                body(content, content.length)));
    }

    static RequestBody body(byte[] data, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                "application/octet-stream");
    }

    @Override
    public boolean createIfAbsent(String path, byte[] content) throws IOException {
        String key = uri.key(path);
        if (!settings.conditionalWrites()) {
            return createByReadBack(path, content);
        }
        boolean created = call("create", "s3:PutObject", key, () -> {
            try {
                s3.putObject(r -> r.bucket(uri.bucket()).key(key).ifNoneMatch("*"), body(content, content.length));
                return true;
            } catch (AwsServiceException e) {
                if (e.statusCode() == 412) {
                    return false;
                }
                if (S3Errors.notImplemented(e)) {
                    throw new JobException("the server of bucket " + uri.bucket() + " does not support conditional"
                            + " writes (If-None-Match): add ?conditional-writes=false to --dest (see docs/stores.md)", e);
                }
                throw e;
            }
        });
        // a retry after a lost answer finds our own object: it is ours if it holds our bytes
        return created || read(path).map(b -> Arrays.equals(b, content)).orElse(false);
    }

    /**
     * For servers without {@code If-None-Match}: not atomic. Two writers within the same moment may
     * both be told they won; the object then holds one of their contents, and readers use that.
     */
    private boolean createByReadBack(String path, byte[] content) throws IOException {
        Optional<byte[]> existing = read(path);
        if (existing.isPresent()) {
            return Arrays.equals(existing.get(), content);
        }
        write(path, content);
        return read(path).map(b -> Arrays.equals(b, content)).orElse(false);
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        String key = uri.key(path);
        return call("read", "s3:GetObject", key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(r -> r.bucket(uri.bucket()).key(key)).asByteArrayUnsafe());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public InputStream open(String path) throws IOException {
        String key = uri.key(path);
        InputStream in = call("read", "s3:GetObject", key, () -> {
            try {
                return s3.getObject(r -> r.bucket(uri.bucket()).key(key));
            } catch (NoSuchKeyException e) {
                return null;
            }
        });
        if (in == null) {
            throw new NoSuchFileException(uri + "/" + path);
        }
        return in;
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        String keyPrefix = uri.keyPrefix(prefix);
        List<StoredObject> found = call("list", "s3:ListBucket", keyPrefix, () -> {
            List<StoredObject> all = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(uri.bucket()).prefix(keyPrefix)).contents()) {
                all.add(new StoredObject(uri.path(o.key()), o.size()));
            }
            return all;
        });
        found.sort(Comparator.comparing(StoredObject::path));
        return found;
    }

    @Override
    public void move(String from, String to) throws IOException {
        String source = uri.key(from);
        String target = uri.key(to);
        Long size = call("read", "s3:GetObject", source, () -> {
            try {
                return s3.headObject(r -> r.bucket(uri.bucket()).key(source)).contentLength();
            } catch (NoSuchKeyException e) {
                return null;
            }
        });
        if (size == null) {
            throw new NoSuchFileException(uri + "/" + from);
        }
        if (size <= MAX_COPY) {
            boolean copied = call("copy", "s3:GetObject and s3:PutObject", target, () -> {
                try {
                    s3.copyObject(r -> r.sourceBucket(uri.bucket()).sourceKey(source).destinationBucket(uri.bucket())
                            .destinationKey(target));
                    return true;
                } catch (NoSuchKeyException e) {
                    return false; // moved meanwhile by another task publishing the same table
                }
            });
            if (!copied) {
                throw new NoSuchFileException(uri + "/" + from);
            }
        } else {
            new S3LargeCopy(this, source, target, size).run();
        }
        delete(from);
    }

    @Override
    public void delete(String path) throws IOException {
        String key = uri.key(path);
        call("delete", "s3:DeleteObject", key, () -> s3.deleteObject(r -> r.bucket(uri.bucket()).key(key)));
    }

    /** Deletes every object under {@code prefix} and aborts the multipart uploads left unfinished there. */
    @Override
    public void deleteAll(String prefix) throws IOException {
        List<StoredObject> objects = list(prefix);
        for (int i = 0; i < objects.size(); i += DELETE_BATCH) {
            List<ObjectIdentifier> ids = objects.subList(i, Math.min(objects.size(), i + DELETE_BATCH)).stream()
                    .map(o -> ObjectIdentifier.builder().key(uri.key(o.path())).build()).toList();
            var response = call("delete", "s3:DeleteObject", uri.keyPrefix(prefix), () -> s3.deleteObjects(r -> r
                    .bucket(uri.bucket()).delete(Delete.builder().objects(ids).quiet(true).build())));
            var failed = response.errors().stream().filter(e -> !"NoSuchKey".equals(e.code())).toList();
            if (!failed.isEmpty()) {
                throw new ExportException("cannot delete " + failed.size() + " objects under " + uri + "/" + prefix
                        + ", e.g. " + failed.get(0).key() + ": " + failed.get(0).code() + " " + failed.get(0).message());
            }
        }
        abortUploads(prefix);
    }

    /**
     * Aborts every unfinished multipart upload under {@code prefix}: what a killed attempt leaves.
     * Returns how many were aborted.
     */
    public int abortUploads(String prefix) throws IOException {
        String keyPrefix = uri.keyPrefix(prefix);
        List<MultipartUpload> open = call("list uploads", "s3:ListBucketMultipartUploads", keyPrefix, () -> {
            List<MultipartUpload> all = new ArrayList<>();
            try {
                s3.listMultipartUploadsPaginator(r -> r.bucket(uri.bucket()).prefix(keyPrefix)).uploads().forEach(all::add);
            } catch (AwsServiceException e) {
                if (!S3Errors.notImplemented(e)) {
                    throw e;
                }
                // a server without the listing (s3rver) cannot show unfinished uploads: there are none to abort
                // that we could find, and the export does not depend on it
                log.debug("bucket {} does not list multipart uploads (501): none aborted under {}", uri.bucket(), keyPrefix);
            }
            return all;
        });
        for (MultipartUpload u : open) {
            abortUpload(u.key(), u.uploadId());
        }
        return open.size();
    }

    void abortUpload(String key, String uploadId) throws IOException {
        call("abort upload", "s3:AbortMultipartUpload", key, () -> {
            try {
                return s3.abortMultipartUpload(r -> r.bucket(uri.bucket()).key(key).uploadId(uploadId));
            } catch (NoSuchUploadException e) {
                return null; // already aborted or completed
            }
        });
    }

    String startUpload(String key) throws IOException {
        return call("write", "s3:PutObject", key,
                () -> s3.createMultipartUpload(r -> r.bucket(uri.bucket()).key(key)).uploadId());
    }

    void completeUpload(String key, String uploadId, List<CompletedPart> parts) throws IOException {
        call("write", "s3:PutObject", key, () -> {
            try {
                return s3.completeMultipartUpload(r -> r.bucket(uri.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            } catch (NoSuchUploadException e) {
                // a retry after a lost answer: the upload is gone because it was completed
                s3.headObject(r -> r.bucket(uri.bucket()).key(key));
                return null;
            }
        });
    }

    @Override
    public void close() {
        uploads.shutdownNow();
        s3.close();
    }
}
