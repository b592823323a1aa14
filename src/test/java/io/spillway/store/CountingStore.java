package io.spillway.store;

import io.spillway.spi.Store;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A store that counts the bytes read of each path (by {@code read} and {@code open}), to test what a reader needs. */
public final class CountingStore implements Store {
    private final Store store;
    private final Map<String, Long> read = new ConcurrentHashMap<>();

    public CountingStore(Store store) {
        this.store = store;
    }

    /** The bytes read of each path since the last {@link #reset}. */
    public Map<String, Long> bytesRead() {
        return Map.copyOf(read);
    }

    public void reset() {
        read.clear();
    }

    @Override
    public String uri() {
        return store.uri();
    }

    @Override
    public void checkWritable() throws IOException {
        store.checkWritable();
    }

    @Override
    public StoreOutput create(String path) throws IOException {
        return store.create(path);
    }

    @Override
    public boolean createIfAbsent(String path, byte[] content) throws IOException {
        return store.createIfAbsent(path, content);
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        Optional<byte[]> b = store.read(path);
        b.ifPresent(bytes -> read.merge(path, (long) bytes.length, Long::sum));
        return b;
    }

    @Override
    public InputStream open(String path) throws IOException {
        return new FilterInputStream(store.open(path)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    read.merge(path, 1L, Long::sum);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    read.merge(path, (long) n, Long::sum);
                }
                return n;
            }
        };
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public void move(String from, String to) throws IOException {
        store.move(from, to);
    }

    @Override
    public void delete(String path) throws IOException {
        store.delete(path);
    }

    @Override
    public void adopt(Path file, String path) throws IOException {
        store.adopt(file, path);
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
