package io.spillway.publish;

import io.spillway.format.Compression;
import io.spillway.format.Format;
import io.spillway.format.ShardFile;
import io.spillway.job.ExportException;
import io.spillway.job.JobConfig;
import io.spillway.job.Json;
import io.spillway.plan.Plan;
import io.spillway.plan.Unit;
import io.spillway.store.Store;
import io.spillway.store.Store.StoredObject;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a table's new export visible once all its units are committed: moves the staged files to
 * their numbered names, writes the manifest, then removes what is left of the previous export.
 * Nothing at the table's folder changes before every unit is complete. Publishing again, or by
 * two tasks at once, converges on the same result; an older execution never replaces a table
 * that a newer one has published.
 *
 * <p>With the versioned layout the files go to {@code <table>/run=<execution>/} instead, beside a
 * copy of the manifest; the table's manifest, written in one step last, points at the current
 * run; then all but the {@code keep} newest older runs are removed (see {@link Runs}).
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final Store store;
    private final Plan plan;
    private final Format format;
    private final Compression compression;
    private final JobConfig.Layout layout;
    private final int keepRuns;

    public Publisher(Store store, Plan plan, Format format, Compression compression) {
        this(store, plan, format, compression, JobConfig.Layout.REPLACE, 0);
    }

    public Publisher(Store store, Plan plan, Format format, Compression compression, JobConfig.Layout layout,
            int keep) {
        this.store = store;
        this.plan = plan;
        this.format = format;
        this.compression = compression;
        this.layout = layout;
        this.keepRuns = keep;
    }

    public Optional<UnitRecord> record(Unit unit) throws IOException {
        return store.read(Layout.unitRecord(plan.execution(), unit.table(), unit.part()))
                .map(b -> Json.read(b, UnitRecord.class, "the record of unit " + unit.id()));
    }

    /** Publishes {@code table} if all its units are committed; returns whether it is published. */
    public boolean publishIfComplete(String table) throws IOException {
        String execution = plan.execution();
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
        Optional<Manifest> current = store.read(Layout.manifest(table)).flatMap(Publisher::parse);
        if (current.isPresent() && !current.get().execution().equals(execution)
                && current.get().plannedAt() != null && current.get().plannedAt().isAfter(plan.createdAt())) {
            log.warn("Table {} was published by the newer execution {}: leaving it as it is", table,
                    current.get().execution());
            store.createIfAbsent(Layout.published(execution, table), Json.write(current.get()));
            return true;
        }
        Manifest manifest = moveIntoPlace(table, records);
        boolean versioned = layout == JobConfig.Layout.VERSIONED;
        if (versioned) {
            store.write(Layout.run(table, execution) + Layout.MANIFEST, Json.write(manifest));
        }
        store.write(Layout.manifest(table), Json.write(manifest));
        removeLeftovers(table, manifest, current);
        new Runs(store, table).prune(execution, plan.createdAt(), versioned ? keepRuns : 0);
        store.createIfAbsent(Layout.published(execution, table), Json.write(manifest));
        store.deleteAll(Layout.stagingTable(execution, table));
        log.info("Published {}: {} rows in {} files", table, manifest.rows(), manifest.files().size());
        return true;
    }

    private Manifest moveIntoPlace(String table, List<UnitRecord> records) throws IOException {
        String tableDir = Layout.tableDir(table);
        String dir = layout == JobConfig.Layout.VERSIONED ? Layout.run(table, plan.execution()) : tableDir;
        String relative = dir.substring(tableDir.length());
        List<Manifest.File> files = new ArrayList<>();
        int index = 0;
        for (UnitRecord record : records) {
            for (ShardFile f : record.files()) {
                String name = Layout.shardName(table, index++, format, compression);
                try {
                    store.move(f.path(), dir + name);
                } catch (NoSuchFileException e) {
                    // moved already, by an earlier try of this publish or by another task publishing at once
                    if (store.list(dir + name).stream().noneMatch(o -> o.path().equals(dir + name) && o.size() == f.bytes())) {
                        throw new ExportException("table " + table + ": staged file " + f.path()
                                + " is gone and was not published; run a new execution", e);
                    }
                }
                files.add(new Manifest.File(relative + name, f.rows(), f.bytes(), f.crc32c()));
            }
        }
        UnitRecord first = records.get(0);
        long rows = records.stream().anyMatch(r -> r.rows() < 0) ? -1 : records.stream().mapToLong(UnitRecord::rows).sum();
        return new Manifest(table, plan.execution(), plan.createdAt(), Instant.now(), format.toString(),
                compression.toString(), rows,
                files.stream().mapToLong(Manifest.File::bytes).sum(), first.columns(), files);
    }

    private void removeLeftovers(String table, Manifest manifest, Optional<Manifest> previous) throws IOException {
        String dir = Layout.tableDir(table);
        Set<String> keep = manifest.files().stream().map(f -> dir + f.name()).collect(Collectors.toSet());
        Set<String> drop = new HashSet<>();
        var shard = Layout.shardPattern(table);
        for (StoredObject o : store.list(dir)) {
            String name = o.path().substring(dir.length());
            if (shard.matcher(name).matches() && !keep.contains(o.path())) {
                drop.add(o.path());
            }
        }
        previous.ifPresent(p -> p.files().stream()
                .map(f -> dir + f.name())
                .filter(path -> !keep.contains(path) && !path.substring(dir.length()).contains("/"))
                .forEach(drop::add));
        for (String path : drop) {
            store.delete(path);
        }
    }


    private static Optional<Manifest> parse(byte[] json) {
        try {
            return Optional.of(Json.MAPPER.readValue(json, Manifest.class));
        } catch (IOException e) {
            return Optional.empty(); // a foreign or damaged manifest: the new one replaces it
        }
    }

}
