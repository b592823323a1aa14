package io.spillway.verify;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.TableFilter;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.spi.TableInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads back every file of every current manifest at a destination ({@code <table>/_MANIFEST.json};
 * the manifests of older runs kept by the versioned layout are not current) and checks each file's
 * size, CRC32C and rows against the manifest, and with a source, each table's row count now.
 *
 * <p>Files are read on a fixed pool of threads, each streamed once through a fixed buffer, so
 * memory does not grow with their size. Nothing is written. Files in a table's folder that its
 * manifest does not list are warnings, not mismatches: a publish moves the new files in and
 * writes the manifest before it removes the previous export's files, so an interrupted publish
 * leaves some behind, and readers that go by the manifest never see them.
 */
public final class Verifier {
    public static final int DEFAULT_THREADS = 4;

    private final Store store;
    private final int threads;

    public Verifier(Store store, int threads) {
        if (threads < 1) {
            throw new JobException("--threads must be at least 1, not " + threads);
        }
        this.store = store;
        this.threads = threads;
    }

    private record Table(String folder, Manifest manifest, Map<String, Long> objects, List<String> mismatches,
            List<String> warnings, List<String> notes, List<Future<FileResult>> files) {}

    private record FileResult(long bytes, long rows, List<String> mismatches) {}

    /**
     * Checks the tables whose names match any of {@code globs} (all when empty) against the
     * destination and, when {@code source} is not null, against the source's row counts now.
     * Throws a {@code JobException} when there is nothing to verify.
     */
    public Verification verify(List<String> globs, Source source) throws Exception {
        List<Pattern> patterns = globs.stream().map(TableFilter::regex).toList();
        Map<String, Map<String, Long>> folders = folders();
        List<String> unreadable = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        for (var e : folders.entrySet()) {
            if (!e.getValue().containsKey(Layout.MANIFEST)) {
                continue;
            }
            String path = e.getKey() + "/" + Layout.MANIFEST;
            Manifest m;
            try {
                m = Json.read(store.read(path).orElseThrow(() -> new IOException("it is gone")), Manifest.class, path);
            } catch (RuntimeException | IOException x) {
                if (patterns.isEmpty()) {
                    unreadable.add("folder " + show(e.getKey()) + ": " + Layout.MANIFEST + " cannot be read: "
                            + x.getMessage());
                }
                continue;
            }
            if (patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(m.table()).matches())) {
                tables.add(new Table(e.getKey(), m, e.getValue(), new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>(), new ArrayList<>()));
            }
        }
        for (int i = 0; i < globs.size(); i++) {
            Pattern p = patterns.get(i);
            if (tables.stream().noneMatch(t -> p.matcher(t.manifest().table()).matches())) {
                throw new JobException("--table '" + globs.get(i) + "' matches no table with a manifest at "
                        + store.uri());
            }
        }
        if (tables.isEmpty() && unreadable.isEmpty()) {
            throw new JobException("no manifests at " + store.uri() + " (no <table>/" + Layout.MANIFEST
                    + "): nothing to verify; is it the destination of an export?");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemons());
        try {
            for (Table t : tables) {
                start(t, pool);
            }
            Map<String, OptionalLong> counts = source == null ? Map.of() : count(source, tables, patterns);
            return collect(tables, unreadable, counts);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The objects of the destination by top folder (the state folder left out), named relative to it. */
    private Map<String, Map<String, Long>> folders() throws IOException {
        List<StoredObject> all = store.list("");
        if (all.isEmpty()) {
            throw new JobException("nothing at " + store.uri() + ": no such folder or bucket prefix, or it is empty");
        }
        Map<String, Map<String, Long>> folders = new TreeMap<>();
        for (StoredObject o : all) {
            int slash = o.path().indexOf('/');
            if (slash > 0 && !o.path().substring(0, slash).equals(Layout.STATE)) {
                folders.computeIfAbsent(o.path().substring(0, slash), k -> new TreeMap<>())
                        .put(o.path().substring(slash + 1), o.size());
            }
        }
        return folders;
    }

    /** Checks the manifest's own sums and submits each of its files to the pool. */
    private void start(Table t, ExecutorService pool) {
        Manifest m = t.manifest();
        String table = "table " + show(m.table()) + ": ";
        if (!Layout.segment(m.table()).equals(t.folder())) {
            t.mismatches().add(table + "its manifest is in folder " + show(t.folder()) + ", not "
                    + Layout.segment(m.table()));
        }
        Format format;
        Compression compression;
        try {
            format = Format.parse(m.format());
            compression = Compression.parse(m.compression());
        } catch (RuntimeException e) {
            t.mismatches().add(table + "the manifest's format cannot be read: " + e.getMessage());
            return;
        }
        long bytes = m.files().stream().mapToLong(Manifest.File::bytes).sum();
        if (bytes != m.bytes()) {
            t.mismatches().add(table + "the manifest's files add up to " + bytes + " bytes, its total says " + m.bytes());
        }
        if (m.files().stream().allMatch(f -> f.rows() >= 0) && m.rows() >= 0) {
            long rows = m.files().stream().mapToLong(Manifest.File::rows).sum();
            if (rows != m.rows()) {
                t.mismatches().add(table + "the manifest's files add up to " + rows + " rows, its total says " + m.rows());
            }
        }
        if (!m.partitions().isEmpty()) {
            checkPartitions(m, table, t.mismatches());
        }
        if (m.rows() < 0 && m.files().stream().anyMatch(f -> f.rows() < 0)) {
            t.notes().add(table + "the manifest does not say how many rows (the exporter did not): rows not checked");
        }
        for (Manifest.File f : m.files()) {
            Long size = t.objects().get(f.name());
            if (size == null) {
                t.mismatches().add(table + f.name() + ": missing");
                t.files().add(null);
            } else {
                t.files().add(pool.submit(() -> check(t.folder() + "/" + f.name(), table + f.name() + ": ", f, size,
                        format, compression)));
            }
        }
        Set<String> listed = m.files().stream().map(Manifest.File::name).collect(Collectors.toSet());
        String current = Layout.RUN + m.execution() + "/";
        for (String name : t.objects().keySet()) {
            boolean olderRun = name.startsWith(Layout.RUN) && !name.startsWith(current);
            if (!listed.contains(name) && !name.equals(Layout.MANIFEST) && !name.equals(current + Layout.MANIFEST)
                    && !olderRun) {
                t.warnings().add(table + name + " is in the table's folder but not in its manifest, so readers"
                        + " that go by the manifest ignore it (left by an interrupted publish, or put there by"
                        + " something else)");
            }
        }
    }

    /** The partitions of a {@code --partition-by} export hold every file of the manifest, and its rows. */
    private static void checkPartitions(Manifest m, String table, List<String> mismatches) {
        long files = m.partitions().stream().mapToLong(Manifest.Partition::files).sum();
        long outside = m.files().stream().filter(f -> m.partitions().stream()
                .noneMatch(p -> f.name().startsWith(p.path() + "/"))).count();
        if (files != m.files().size() || outside > 0) {
            mismatches.add(table + "the manifest's partitions hold " + files + " files, its file list "
                    + m.files().size() + (outside > 0 ? ", " + outside + " of them in no partition" : ""));
        }
        if (m.rows() >= 0 && m.partitions().stream().allMatch(p -> p.rows() >= 0)) {
            long rows = m.partitions().stream().mapToLong(Manifest.Partition::rows).sum();
            if (rows != m.rows()) {
                mismatches.add(table + "the manifest's partitions add up to " + rows + " rows, its total says " + m.rows());
            }
        }
    }

    /** Reads one file to its end: its size, CRC32C and rows against its manifest entry. */
    private FileResult check(String path, String where, Manifest.File f, long size, Format format,
            Compression compression) {
        List<String> problems = new ArrayList<>();
        if (size != f.bytes()) {
            problems.add(where + "size " + size + " bytes, the manifest says " + f.bytes());
        }
        long rows = -1;
        CheckedInput in;
        try {
            in = new CheckedInput(store.open(path));
        } catch (IOException | RuntimeException e) {
            problems.add(where + "cannot be opened: " + message(e));
            return new FileResult(0, -1, problems);
        }
        try (in) {
            try {
                rows = RowCount.of(format, compression, in, size, () -> store.open(path));
            } catch (IOException | RuntimeException e) {
                problems.add(where + "cannot be read as " + format + (format.lines() && compression != Compression.NONE
                        ? " (" + compression + ")" : "") + ": " + message(e));
            }
            in.drain();
        } catch (IOException | RuntimeException e) {
            problems.add(where + "cannot be read: " + message(e));
            return new FileResult(in.count(), -1, problems);
        }
        if (in.count() != size && size == f.bytes()) {
            problems.add(where + in.count() + " bytes read, the manifest says " + f.bytes());
        }
        if (!in.crc32c().equalsIgnoreCase(f.crc32c())) {
            problems.add(where + "CRC32C " + in.crc32c() + ", the manifest says " + f.crc32c());
        }
        if (rows >= 0 && f.rows() >= 0 && rows != f.rows()) {
            problems.add(where + rows + " rows, the manifest says " + f.rows());
        }
        return new FileResult(in.count(), rows, problems);
    }

    /**
     * Each table's rows now in the source, by name (empty where the source cannot count); the
     * source's tables that have no manifest and the manifests' tables not in the source are mismatches.
     */
    private Map<String, OptionalLong> count(Source source, List<Table> tables, List<Pattern> patterns)
            throws Exception {
        Set<String> names = source.listing().stream().map(TableInfo::name)
                .filter(n -> patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(n).matches()))
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, OptionalLong> counts = new HashMap<>();
        for (Table t : tables) {
            String name = t.manifest().table();
            if (names.remove(name)) {
                counts.put(name, source.count(name));
            } else {
                t.mismatches().add("table " + show(name) + ": not in the source " + source.uri() + " now");
            }
        }
        for (String name : names) {
            tables.add(new Table(Layout.segment(name), null, Map.of(), List.of("table " + show(name)
                    + ": in the source but no manifest at " + store.uri()), List.of(), List.of(), List.of()));
        }
        return counts;
    }

    private Verification collect(List<Table> tables, List<String> unreadable, Map<String, OptionalLong> counts)
            throws InterruptedException {
        List<String> mismatches = new ArrayList<>(unreadable);
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int verified = 0;
        int files = 0;
        long bytes = 0;
        long rows = 0;
        for (Table t : tables) {
            mismatches.addAll(t.mismatches());
            warnings.addAll(t.warnings());
            notes.addAll(t.notes());
            if (t.manifest() == null) {
                continue;
            }
            verified++;
            long counted = 0;
            for (Future<FileResult> f : t.files()) {
                if (f == null) {
                    counted = -1;
                    continue;
                }
                FileResult r = result(f);
                files++;
                bytes += r.bytes();
                rows += Math.max(0, r.rows());
                mismatches.addAll(r.mismatches());
                counted = counted < 0 || r.rows() < 0 ? -1 : counted + r.rows();
            }
            Manifest m = t.manifest();
            String table = "table " + show(m.table()) + ": ";
            boolean everyFileSays = m.files().stream().allMatch(f -> f.rows() >= 0);
            if (!everyFileSays && m.rows() >= 0 && counted >= 0 && counted != m.rows()) {
                mismatches.add(table + "its files hold " + counted + " rows, the manifest says " + m.rows());
            }
            OptionalLong now = counts.get(m.table());
            long exported = m.rows() >= 0 ? m.rows() : counted;
            if (now == null) {
                continue; // no source, or not in it
            } else if (now.isEmpty()) {
                notes.add(table + "the source cannot count rows exactly: not compared with the source");
            } else if (exported < 0) {
                notes.add(table + "the exported rows are not known: not compared with the source");
            } else if (now.getAsLong() != exported) {
                mismatches.add(table + "the source holds " + now.getAsLong() + " rows now, the export "
                        + exported);
            }
        }
        return new Verification(verified, files, bytes, rows, mismatches, warnings, notes);
    }

    private static FileResult result(Future<FileResult> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a file check failed unexpectedly", e.getCause());
        }
    }

    private static ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "verify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A name as one printable line: control characters escaped, so a hostile name cannot forge output lines. */
    static String show(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
