package io.spillway.spi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary files where a native exporter writes before its file goes to a bucket ({@link Store#scratchFile}):
 * in a folder of this process's own, {@code spillway-scratch-HOST-PID} under the temporary folder. A task killed
 * while DuckDB wrote one (a unit's size: gigabytes) cannot delete it; the first process of the same host that
 * makes scratch files there afterwards deletes the folders of its host's processes that no longer run. The host
 * name keeps apart containers that share the folder but not their process ids.
 */
public final class ScratchFiles {
    static final String PREFIX = "spillway-scratch-";

    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();
    static final String HOST = host();

    private ScratchFiles() {}

    /** A new empty file named after {@code name} in this process's folder under the system's temporary folder. */
    public static Path create(String name) throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")), name);
    }

    static Path create(Path tmp, String name) throws IOException {
        if (SWEPT.add(tmp.toAbsolutePath())) {
            sweep(tmp);
        }
        Path dir = Files.createDirectories(tmp.resolve(folder(HOST, ProcessHandle.current().pid())));
        return Files.createTempFile(dir, "spillway-", "-" + name);
    }

    static String folder(String host, long pid) {
        return PREFIX + host + "-" + pid;
    }

    /** Deletes the scratch folders under {@code tmp} of this host's processes that have ended. */
    static void sweep(Path tmp) {
        String mine = PREFIX + HOST + "-";
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                String pid = name.startsWith(mine) ? name.substring(mine.length()) : "";
                if (!pid.matches("[0-9]{1,18}") || Long.parseLong(pid) == self
                        || ProcessHandle.of(Long.parseLong(pid)).isPresent()) {
                    continue;
                }
                delete(dir);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: what is left is deleted by a later process
        }
    }

    /** This machine's (or container's) name, as a file name may hold it. */
    private static String host() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            name = System.getenv().getOrDefault("HOSTNAME", System.getenv().getOrDefault("COMPUTERNAME", "host"));
        }
        name = name.replaceAll("[^A-Za-z0-9.]", "_");
        return name.isEmpty() ? "host" : name;
    }

    /** Deletes a file, or a folder and all it holds; a link is deleted, not followed; nothing there is no error. */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
