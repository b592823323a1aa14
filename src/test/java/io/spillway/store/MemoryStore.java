package io.spillway.store;

import io.spillway.spi.Store;
import io.spillway.spi.StoreFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A store in memory, for tests of what sits above the store seam (task runner, publisher): it
 * passes the same {@link StoreContract} as the folder and the buckets. {@code mem://NAME} opens the
 * store of that name through the {@link Factory}, so a process-free run can be inspected afterwards.
 */
public final class MemoryStore implements Store {
    private static final Map<String, MemoryStore> NAMED = new ConcurrentHashMap<>();

    private final String uri;
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    public MemoryStore(String uri) {
        this.uri = uri;
    }

    /** The store that {@code mem://name} opens. */
    public static MemoryStore named(String name) {
        return NAMED.computeIfAbsent(name, n -> new MemoryStore("mem://" + n));
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void checkWritable() {}

    @Override
    public StoreOutput create(String path) {
        check(path);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new StoreOutput() {
            @Override
            public OutputStream stream() {
                return buffer;
            }

            @Override
            public void commit() {
                objects.put(path, buffer.toByteArray());
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public boolean createIfAbsent(String path, byte[] content) {
        check(path);
        byte[] existing = objects.putIfAbsent(path, content.clone());
        return existing == null || java.util.Arrays.equals(existing, content);
    }

    @Override
    public Optional<byte[]> read(String path) {
        check(path);
        return Optional.ofNullable(objects.get(path)).map(byte[]::clone);
    }

    @Override
    public InputStream open(String path) throws IOException {
        return new ByteArrayInputStream(read(path).orElseThrow(() -> new NoSuchFileException(uri + "/" + path)));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return objects.tailMap(prefix).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> new StoredObject(e.getKey(), e.getValue().length)).toList();
    }

    @Override
    public void move(String from, String to) throws IOException {
        check(to);
        byte[] b = objects.remove(from);
        if (b == null) {
            throw new NoSuchFileException(uri + "/" + from);
        }
        objects.put(to, b);
    }

    @Override
    public void delete(String path) {
        objects.remove(path);
    }

    private void check(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("path '" + path + "' leaves the destination " + uri);
            }
        }
    }

    /** {@code mem://NAME}. */
    public static final class Factory implements StoreFactory {
        @Override
        public Set<String> schemes() {
            return Set.of("mem");
        }

        @Override
        public String usage() {
            return "mem://NAME (tests)";
        }

        @Override
        public Store open(String dest, Map<String, String> env) {
            return named(dest.substring("mem://".length()));
        }
    }
}
