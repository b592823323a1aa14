package io.spillway.publish;

import io.spillway.config.JobConfig;
import io.spillway.format.HivePath;
import io.spillway.format.ShardFile;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Partitions;
import io.spillway.plan.Plan;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.spi.Unit;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a table's new export visible once all its units are committed. Nothing at the table's
 * folder changes before every unit is complete; then the whole publish is written down as a
 * {@link PublishIntent} in the table's {@link Journal} before the first file moves, and carried
 * out: the staged files move to their numbered names, the manifest is written, what is left of
 * the previous export is removed. A publish interrupted at any step is finished by the next task
 * that touches the table; one publish of a table runs at a time; an older execution never
 * replaces a table that a newer one has published, and one paused mid-publish stops at its next
 * step once a newer publish has begun.
 *
 * <p>With the versioned layout the files go to {@code <table>/run=<execution>/} instead, beside a
 * copy of the manifest; the table's manifest, written in one step, points at the current run;
 * then all but the {@code keep} newest older runs are removed (see {@link Runs}).
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final Store store;
    private final Plan plan;
    private final Format format;
    private final Compression compression;
    private final JobConfig.Versioning layout;
    private final int keepRuns;
    private final Journal journal;
    private final Clock clock;
    private final List<JobConfig.PartitionRule> partitions;

    public Publisher(Store store, Plan plan, Format format, Compression compression) {
        this(store, plan, format, compression, JobConfig.Versioning.REPLACE, 0);
    }

    public Publisher(Store store, Plan plan, Format format, Compression compression, JobConfig.Versioning layout,
            int keep) {
        this(store, plan, format, compression, layout, keep, Clock.systemUTC(), Journal.defaultLease());
    }

    public Publisher(Store store, Plan plan, Format format, Compression compression, JobConfig.Versioning layout,
            int keep, Clock clock, Duration lease) {
        this(store, plan, format, compression, layout, keep, clock, lease, List.of());
    }

    /** {@code partitions}: the job's {@code --partition-by} rules, which the manifests of the tables they match name. */
    public Publisher(Store store, Plan plan, Format format, Compression compression, JobConfig.Versioning layout,
            int keep, Clock clock, Duration lease, List<JobConfig.PartitionRule> partitions) {
        this.partitions = List.copyOf(partitions);
        this.store = store;
        this.plan = plan;
        this.format = format;
        this.compression = compression;
        this.layout = layout;
        this.keepRuns = keep;
        this.clock = clock;
        this.journal = new Journal(store, clock, lease);
    }

    public Optional<UnitRecord> record(Unit unit) throws IOException {
        return store.read(Layout.unitRecord(plan.execution(), unit.table(), unit.part()))
                .map(b -> Json.read(b, UnitRecord.class, "the record of unit " + unit.id()));
    }

    /** Finishes an interrupted publish of {@code table} now if this execution may: its own, or one whose lease is over. */
    public void finishInterrupted(String table) throws IOException {
        Optional<PublishIntent> pending = journal.unfinished(table);
        if (pending.isPresent() && (pending.get().execution().equals(plan.execution())
                || !clock.instant().isBefore(pending.get().expiresAt()))) {
            journal.settle(table, pending.get().execution());
        }
    }

    /** Publishes {@code table} if all its units are committed; returns whether it is published. */
    public boolean publishIfComplete(String table) throws IOException {
        String execution = plan.execution();
        while (true) {
            finishInterrupted(table);
            if (store.read(Layout.published(execution, table)).isPresent()) {
                return true;
            }
            List<UnitRecord> records = new ArrayList<>();
            for (Unit unit : plan.unitsOfTable(table)) {
                Optional<UnitRecord> r = record(unit);
                if (r.isEmpty()) {
                    return false;
                }
                records.add(r.get());
            }
            Journal.Entry newest = journal.settle(table, execution); // one that begins after this loses the race to begin()
            Optional<Manifest> current = store.read(Layout.manifest(table)).flatMap(Publisher::parse);
            if (current.isPresent() && current.get().execution().equals(execution)) {
                // another task of this execution published it since this one looked: let that publish end
                // (it may still be removing old files), and never publish the table a second time
                journal.settle(table, execution);
                store.createIfAbsent(Layout.published(execution, table), Json.write(current.get()));
                return true;
            }
            if (current.isPresent() && !current.get().execution().equals(execution)
                    && current.get().plannedAt() != null && current.get().plannedAt().isAfter(plan.createdAt())) {
                log.warn("Table {} was published by the newer execution {}: leaving it as it is", table,
                        current.get().execution());
                store.createIfAbsent(Layout.published(execution, table), Json.write(current.get()));
                store.deleteAll(Layout.stagingTable(execution, table));
                return true;
            }
            PublishIntent intent = intent(table, records, current);
            if (journal.begin(intent, newest) && journal.finish(intent, newest.number() + 1)) {
                return true; // carried out to its end, published marker included
            }
        }
    }

    private PublishIntent intent(String table, List<UnitRecord> records, Optional<Manifest> previous) throws IOException {
        boolean versioned = layout == JobConfig.Versioning.VERSIONED;
        String tableDir = Layout.tableDir(table);
        String dir = versioned ? Layout.run(table, plan.execution()) : tableDir;
        String relative = dir.substring(tableDir.length());
        Optional<Plan.TableMarks> marks = plan.marksOf(table);
        List<Manifest.File> kept = kept(table, marks, previous);
        List<PublishIntent.Move> moves = new ArrayList<>();
        List<Manifest.File> files = new ArrayList<>(kept);
        // each folder (the table's, or a partition's) numbers its files on from the kept ones
        Map<String, Integer> next = new HashMap<>();
        for (Manifest.File f : kept) {
            next.merge(folderOf(f.name()), shardIndex(f.name()) + 1, Math::max);
        }
        next.merge("", (int) kept.stream().filter(f -> folderOf(f.name()).isEmpty()).count(), Math::max);
        Map<String, long[]> partitionSums = new TreeMap<>();
        for (UnitRecord record : records) {
            for (ShardFile f : record.files()) {
                String folder = f.partition() == null ? "" : f.partition() + "/";
                int index = next.merge(relative + folder, 1, Integer::sum) - 1;
                String name = folder + Layout.shardName(table, index, format, compression);
                moves.add(new PublishIntent.Move(f.path(), dir + name, f.bytes()));
                files.add(new Manifest.File(relative + name, f.rows(), f.bytes(), f.crc32c()));
            }
        }
        Optional<JobConfig.PartitionRule> rule = Partitions.of(partitions, table);
        if (rule.isPresent()) {
            for (Manifest.File f : files) {
                String folder = folderOf(f.name());
                if (!folder.equals(relative)) {
                    long[] sums = partitionSums.computeIfAbsent(folder, k -> new long[3]);
                    sums[0] = sums[0] < 0 || f.rows() < 0 ? -1 : sums[0] + f.rows();
                    sums[1] += f.bytes();
                    sums[2]++;
                }
            }
        }
        List<Manifest.Partition> partitionList = partitionSums.entrySet().stream()
                .map(e -> new Manifest.Partition(e.getKey().substring(0, e.getKey().length() - 1),
                        HivePath.value(lastSegment(e.getKey())), e.getValue()[0], e.getValue()[1],
                        (int) e.getValue()[2]))
                .toList();
        UnitRecord first = records.get(0);
        long rows = records.stream().anyMatch(r -> r.rows() < 0) || kept.stream().anyMatch(f -> f.rows() < 0) ? -1
                : records.stream().mapToLong(UnitRecord::rows).sum() + kept.stream().mapToLong(Manifest.File::rows).sum();
        Instant now = clock.instant();
        Manifest manifest = new Manifest(table, plan.execution(), plan.createdAt(), now, format.toString(),
                compression.toString(), rows, files.stream().mapToLong(Manifest.File::bytes).sum(), first.columns(),
                files, marks.map(Plan.TableMarks::marker).orElse(null), marks.map(Plan.TableMarks::cursor).orElse(null),
                marks.map(Plan.TableMarks::mark).orElse(null),
                rule.map(r -> r.toString().substring(r.table().length() + 1)).orElse(null), partitionList);
        return new PublishIntent(UUID.randomUUID().toString(), table, plan.execution(), plan.createdAt(), now,
                journal.expiry(moves.size()), versioned, keepRuns, moves, manifest, leftovers(table, manifest, previous));
    }

    /**
     * The files of the previous export that an increment adds to: none for a full export. The export it
     * was planned against must still be the table's current one, or the increment would follow another mark.
     */
    private List<Manifest.File> kept(String table, Optional<Plan.TableMarks> marks, Optional<Manifest> previous) {
        String base = marks.map(Plan.TableMarks::appendsTo).orElse(null);
        if (base == null) {
            return List.of();
        }
        if (previous.isEmpty() || !previous.get().execution().equals(base)) {
            throw new JobException("table " + table + ": execution " + plan.execution() + " read the rows past the"
                    + " mark of execution " + base + "'s export, but the table's current export is "
                    + previous.map(p -> "execution " + p.execution() + "'s").orElse("gone")
                    + ": its new rows would not fit it; run again, as a new execution, to read past the current mark");
        }
        return previous.get().files();
    }

    /** The number in a shard's name ({@code <table>_000000000012.csv}), or -1 when it has none. */
    static int shardIndex(String name) {
        int dot = name.indexOf('.', name.lastIndexOf('/') + 1);
        int underscore = name.lastIndexOf('_', dot < 0 ? name.length() : dot);
        try {
            return underscore < 0 ? -1 : Integer.parseInt(name.substring(underscore + 1, dot < 0 ? name.length() : dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The folder of a file named relative to its table's folder, with its '/': {@code region=EU/}, or "". */
    private static String folderOf(String name) {
        return name.substring(0, name.lastIndexOf('/') + 1);
    }

    /** {@code region=EU} of {@code run=e/region=EU/}. */
    private static String lastSegment(String folder) {
        String f = folder.substring(0, folder.length() - 1);
        return f.substring(f.lastIndexOf('/') + 1);
    }

    /** The files of the previous export that the new one does not overwrite: removed once the manifest is written. */
    private List<String> leftovers(String table, Manifest manifest, Optional<Manifest> previous) throws IOException {
        String dir = Layout.tableDir(table);
        Set<String> keep = manifest.files().stream().map(f -> dir + f.name()).collect(Collectors.toSet());
        Set<String> drop = new TreeSet<>();
        var shard = Layout.shardPattern(table);
        for (StoredObject o : store.list(dir)) {
            String name = o.path().substring(dir.length());
            if (shard.matcher(name).matches() && !keep.contains(o.path())) {
                drop.add(o.path());
            }
        }
        previous.ifPresent(p -> p.files().stream()
                .map(f -> dir + f.name())
                .filter(path -> !keep.contains(path) && !path.substring(dir.length()).startsWith(Layout.RUN))
                .forEach(drop::add));
        return List.copyOf(drop);
    }

    private static Optional<Manifest> parse(byte[] json) {
        try {
            return Optional.of(Json.MAPPER.readValue(json, Manifest.class));
        } catch (IOException e) {
            return Optional.empty(); // a foreign or damaged manifest: the new one replaces it
        }
    }
}
