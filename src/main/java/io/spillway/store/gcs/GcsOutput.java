package io.spillway.store.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.StorageException;
import io.spillway.spi.Store.StoreOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One object being written by a resumable upload: the channel buffers one chunk and sends it when
 * full; the object exists only once {@link #commit()} finalises the upload. {@link #close()}
 * without commit drops the session unfinalised, so no object appears (GCS forgets an unfinished
 * session after a week). Closing {@link #stream()} only ends writing. Not thread safe.
 */
final class GcsOutput implements StoreOutput {
    private final GcsStore store;
    private final String path;
    private final WriteChannel channel;
    private final OutputStream stream = new ChannelStream();
    private boolean streamClosed;
    private boolean done;

    GcsOutput(GcsStore store, String path, WriteChannel channel) {
        this.store = store;
        this.path = path;
        this.channel = channel;
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    private final class ChannelStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (streamClosed || done) {
                throw new IOException("the upload of " + path + " is already closed");
            }
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            store.call("write", "storage.objects.create", () -> {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                return null;
            });
        }

        @Override
        public void close() {
            streamClosed = true;
        }
    }

    @Override
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException("the upload of " + path + " is already closed");
        }
        done = true;
        store.call("write", "storage.objects.create", () -> {
            try {
                channel.close();
            } catch (IOException e) {
                if (e.getCause() instanceof StorageException s) {
                    throw s;
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public void close() {
        done = true; // an unfinalised resumable upload creates nothing
    }
}
