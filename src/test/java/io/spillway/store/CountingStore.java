package io.spillway.store;

import io.spillway.spi.Store;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A store that counts the bytes read of each path (by {@code read} and {@code open}), to test what a reader needs. */
public final class CountingStore extends DelegatingStore {
    private final Map<String, Long> read = new ConcurrentHashMap<>();

    public CountingStore(Store store) {
        super(store);
    }

    /** The bytes read of each path since the last {@link #reset}. */
    public Map<String, Long> bytesRead() {
        return Map.copyOf(read);
    }

    public void reset() {
        read.clear();
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        Optional<byte[]> b = super.read(path);
        b.ifPresent(bytes -> read.merge(path, (long) bytes.length, Long::sum));
        return b;
    }

    @Override
    public InputStream open(String path) throws IOException {
        return new FilterInputStream(super.open(path)) {
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
}
