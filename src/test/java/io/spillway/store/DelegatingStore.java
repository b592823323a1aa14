package io.spillway.store;

import io.spillway.spi.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A store that hands every call to another; a test overrides the calls it watches or acts at. */
public class DelegatingStore implements Store {
    private final Store store;

    public DelegatingStore(Store store) {
        this.store = store;
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
        return store.read(path);
    }

    @Override
    public InputStream open(String path) throws IOException {
        return store.open(path);
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
