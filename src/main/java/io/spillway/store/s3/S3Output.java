package io.spillway.store.s3;

import io.spillway.spi.ExportException;
import io.spillway.spi.Store.StoreOutput;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One object being written to S3. Bytes fill a part buffer; each full buffer is uploaded as a part
 * of a multipart upload while the next one fills, with at most {@link #IN_FLIGHT} parts in flight,
 * so memory is at most {@code (IN_FLIGHT + 1) x part size} whatever the object's size, and nothing
 * touches the disk. An object smaller than a part is sent in one PUT at commit. {@link #close()}
 * without {@link #commit()} aborts the upload; closing {@link #stream()} only ends writing.
 * Not thread safe.
 */
final class S3Output implements StoreOutput {
    static final int IN_FLIGHT = 2;
    private static final int MAX_PARTS = 10_000;

    private final S3Store store;
    private final String key;
    private final int partSize;
    private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private final OutputStream stream = new PartStream();
    private byte[] buffer;
    private int filled;
    private String uploadId;
    private boolean streamClosed;
    private boolean done;

    S3Output(S3Store store, String key, int partSize) {
        this.store = store;
        this.key = key;
        this.partSize = partSize;
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    private final class PartStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (streamClosed || done) {
                throw new IOException("the upload of " + key + " is already closed");
            }
            while (len > 0) {
                if (buffer == null) {
                    byte[] reused = spare.poll();
                    buffer = reused != null ? reused : new byte[partSize];
                }
                int n = Math.min(len, partSize - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == partSize) {
                    sendPart();
                }
            }
        }

        @Override
        public void close() {
            streamClosed = true;
        }
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = store.startUpload(key);
        }
        int number = parts.size() + 1;
        if (number > MAX_PARTS) {
            throw new ExportException("object " + key + " needs more than " + MAX_PARTS + " parts: lower"
                    + " --max-file-size or raise part-size in --dest");
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        }
        failFast();
        byte[] data = buffer;
        int length = filled;
        String id = uploadId;
        buffer = null;
        filled = 0;
        parts.add(store.submit(() -> {
            try {
                var response = store.call("write", "s3:PutObject", key, () -> store.client().uploadPart(
                        r -> r.bucket(store.bucket()).key(key).uploadId(id).partNumber(number)
                                .contentLength((long) length), S3Store.body(data, length)));
                return CompletedPart.builder().partNumber(number).eTag(response.eTag()).build();
            } finally {
                spare.add(data);
                slots.release();
            }
        }));
    }

    /** Throws the error of a part that already failed, so a broken upload stops early. */
    private void failFast() throws IOException {
        for (Future<CompletedPart> f : parts) {
            if (f.isDone()) {
                result(f);
            }
        }
    }

    private CompletedPart result(Future<CompletedPart> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("upload of " + key + " failed", e.getCause());
        }
    }

    @Override
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException("the upload of " + key + " is already closed");
        }
        if (uploadId == null) {
            byte[] data = buffer == null ? new byte[0] : buffer;
            int length = filled;
            store.call("write", "s3:PutObject", key, () -> store.client().putObject(
                    r -> r.bucket(store.bucket()).key(key), S3Store.body(data, length)));
        } else {
            if (filled > 0) {
                sendPart();
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                completed.add(result(f));
            }
            store.completeUpload(key, uploadId, completed);
        }
        done = true;
        release();
    }

    /** Aborts an uncommitted upload once its parts in flight have ended; idempotent. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        for (Future<CompletedPart> f : parts) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                // the part failed: nothing to wait for
            }
        }
        release();
        if (uploadId != null) {
            store.abortUpload(key, uploadId);
        }
    }

    private void release() {
        buffer = null;
        spare.clear();
    }
}
