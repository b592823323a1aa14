package io.spillway.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where files go: a local folder or a bucket. Paths are relative, '/'-separated and already made
 * safe by the caller (see {@code publish.Layout}); a store refuses a path that would leave its root.
 *
 * <p>Implementations are thread safe. Every write is all-or-nothing: a reader sees the whole
 * object or none of it.
 */
public interface Store extends AutoCloseable {

    /** The destination as the user wrote it, without credentials; used in messages. */
    String uri();

    /** Fails with a {@code JobException} when the destination cannot be written, without writing to it. */
    void checkWritable() throws IOException;

    /** Opens a new object; nothing is visible at {@code path} until {@link StoreOutput#commit()}. */
    StoreOutput create(String path) throws IOException;

    /** Writes {@code content} only if no object exists at {@code path}; returns false if one does. */
    boolean createIfAbsent(String path, byte[] content) throws IOException;

    /** Replaces the object at {@code path} with {@code content} in one step. */
    default void write(String path, byte[] content) throws IOException {
        try (StoreOutput out = create(path)) {
            out.stream().write(content);
            out.commit();
        }
    }

    /** The object's bytes, or empty if there is none. */
    Optional<byte[]> read(String path) throws IOException;

    /** Opens an object for streaming reads. */
    InputStream open(String path) throws IOException;

    /** Every object whose path starts with {@code prefix}, at any depth, sorted by path. */
    List<StoredObject> list(String prefix) throws IOException;

    /**
     * Moves an object, replacing any object at {@code to}; on buckets a server-side copy then delete.
     * Throws {@link java.nio.file.NoSuchFileException} when there is no object at {@code from}.
     */
    void move(String from, String to) throws IOException;

    /** Deletes an object; a missing object is not an error. */
    void delete(String path) throws IOException;

    /** Deletes every object under {@code prefix}. */
    default void deleteAll(String prefix) throws IOException {
        for (StoredObject o : list(prefix)) {
            delete(o.path());
        }
    }

    /**
     * A local file that a native exporter may write directly, to be handed back through
     * {@link #adopt}; stores that are not local folders return a temporary file ({@link ScratchFiles}:
     * one a killed task left behind is deleted later).
     */
    default Path scratchFile(String path) throws IOException {
        return ScratchFiles.create(path.substring(path.lastIndexOf('/') + 1));
    }

    /** Takes a finished local file (from {@link #scratchFile}) as the object at {@code path}. */
    default void adopt(Path file, String path) throws IOException {
        try (StoreOutput out = create(path); InputStream in = Files.newInputStream(file)) {
            in.transferTo(out.stream());
            out.commit();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The store's own URI of {@code prefix}, such as {@code gs://BUCKET/KEY/}, where a server-side
     * exporter (a BigQuery extract job) can write objects itself; empty for stores it cannot reach.
     */
    default Optional<String> nativeUri(String prefix) {
        return Optional.empty();
    }

    /** The CRC32C of an object as 8 hex digits, from the store's metadata; empty where the store keeps none. */
    default Optional<String> crc32c(String path) throws IOException {
        return Optional.empty();
    }

    @Override
    default void close() throws IOException {}

    /** An object being written; {@link #close()} without {@link #commit()} discards it. */
    interface StoreOutput extends AutoCloseable {
        /** Where to write; it may be closed before {@link #commit()}. */
        OutputStream stream();

        void commit() throws IOException;

        @Override
        void close() throws IOException;
    }

    record StoredObject(String path, long size) {}
}
