package io.spillway.store.local;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A folder on a local or mounted file system. Objects are written to a hidden temporary file
 * beside their final name and renamed into place, so a reader never sees half a file;
 * create-if-absent is a hard link, which fails atomically when the name exists.
 */
public final class LocalStore implements Store {
    private final Path root;

    public LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String uri() {
        return root.toString();
    }

    @Override
    public void checkWritable() {
        Path p = root;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p)) {
            throw new JobException("destination " + root + " cannot be a folder: " + p + " is a file");
        }
        if (!Files.isWritable(p)) {
            throw new JobException("destination " + root + " is not writable: no write permission on " + p);
        }
        try {
            // what the permission bits do not tell: /proc, read-only mounts, ACLs; nothing is left behind
            Files.delete(Files.createTempDirectory(p, ".spillway-probe-"));
        } catch (IOException e) {
            throw new JobException("destination " + root + " cannot be written: a folder cannot be made in " + p
                    + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    /**
     * The file of {@code path} under the root. Refuses a path that leaves the root, by name or through
     * a symbolic link anywhere under the root: a link is not followed out of the destination.
     */
    Path resolve(String path) {
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("path '" + path + "' leaves the destination " + root);
        }
        checkLinks(p);
        return p;
    }

    private void checkLinks(Path p) {
        Path at = root;
        for (Path name : root.relativize(p)) {
            at = at.resolve(name);
            if (Files.isSymbolicLink(at)) {
                Path target;
                try {
                    target = at.toRealPath();
                } catch (IOException e) {
                    throw new JobException(at + " at the destination is a symbolic link to nothing: remove it", e);
                }
                Path inside = realRoot();
                if (!target.startsWith(inside)) {
                    throw new JobException(at + " at the destination is a symbolic link to " + target + ", outside the"
                            + " destination " + inside + ": remove the link; Spillway does not follow links out of it");
                }
            } else if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
        }
    }

    private Path realRoot() {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    @Override
    public StoreOutput create(String path) throws IOException {
        Path target = resolve(path);
        mkdirs(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        OutputStream out = Files.newOutputStream(temp);
        return new StoreOutput() {
            boolean done;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public void commit() throws IOException {
                out.close();
                moveInto(temp, target);
                done = true;
            }

            @Override
            public void close() throws IOException {
                if (!done) {
                    out.close();
                    Files.deleteIfExists(temp);
                    done = true;
                }
            }
        };
    }

    private static void moveInto(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public boolean createIfAbsent(String path, byte[] content) throws IOException {
        Path target = resolve(path);
        mkdirs(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(temp, content);
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return Arrays.equals(Files.readAllBytes(target), content); // as buckets do: the same bytes are the same win
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(resolve(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(resolve(path));
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredObject> found = new ArrayList<>();
        Files.walkFileTree(dir, new ConcurrentWalk() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.startsWith(prefix) && attrs.isRegularFile() && !p.getFileName().toString().endsWith(".tmp")) {
                    found.add(new StoredObject(rel, attrs.size()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.comparing(StoredObject::path));
        return found;
    }

    @Override
    public void move(String from, String to) throws IOException {
        Path target = resolve(to);
        mkdirs(target.getParent());
        Path source = resolve(from);
        moveInto(source, target);
        prune(source.getParent());
    }

    @Override
    public void delete(String path) throws IOException {
        Path p = resolve(path);
        Files.deleteIfExists(p);
        prune(p.getParent());
    }

    /** Removes the whole folder tree under {@code prefix}, including unfinished temporary files of killed tasks. */
    @Override
    public void deleteAll(String prefix) throws IOException {
        if (!prefix.endsWith("/")) {
            Store.super.deleteAll(prefix);
            return;
        }
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Files.walkFileTree(dir, new ConcurrentWalk() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(p);
                return FileVisitResult.CONTINUE;
            }

            @Override
            void left(Path d) {
                try {
                    Files.deleteIfExists(d);
                } catch (IOException notEmpty) {
                    // another task is writing here right now; it cleans up after itself
                }
            }
        });
        prune(dir.getParent());
    }

    /**
     * A walk of a folder tree that other tasks change at the same time: an entry that vanishes
     * between being listed and being read (a file moved into place, a temporary file renamed, a
     * folder pruned) is skipped rather than failing the walk.
     */
    private abstract static class ConcurrentWalk extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
            }
            left(d);
            return FileVisitResult.CONTINUE;
        }

        /** Called once the walk has left folder {@code d}. */
        void left(Path d) {}
    }

    /** Creates a folder and its parents, again if another task's {@link #prune} removed a parent meanwhile. */
    private static void mkdirs(Path dir) throws IOException {
        for (int tries = 1; ; tries++) {
            try {
                Files.createDirectories(dir);
                return;
            } catch (NoSuchFileException e) {
                if (tries == 5) {
                    throw e;
                }
            }
        }
    }

    /** Removes empty folders from {@code dir} up to the root, so finished work leaves no empty trees. */
    private void prune(Path dir) {
        for (; dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                break; // not empty, or already gone: stop pruning
            }
        }
    }

    @Override
    public Path scratchFile(String path) throws IOException {
        Path target = resolve(path);
        mkdirs(target.getParent());
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    @Override
    public void adopt(Path file, String path) throws IOException {
        Path target = resolve(path);
        mkdirs(target.getParent());
        moveInto(file, target);
    }
}
