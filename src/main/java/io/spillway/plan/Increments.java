package io.spillway.plan;

import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.spi.Column;
import io.spillway.spi.Cursor;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a table's export holds already decides what is exported of it now, against its current manifest:
 *
 * <ul>
 * <li>{@code --skip-unchanged}: a table whose change marker equals the manifest's is left out;
 * <li>{@code --cursor}: a table whose manifest has a mark for the same column is read past it, up to the
 *     column's largest value now (read here, once, so every task reads the same range); none past it,
 *     and it is left out; without such a manifest it is read in full up to that value;
 * <li>{@code --full-refresh}: manifests are not read; every table is exported in full.
 * </ul>
 *
 * A manifest of another format or compression, or of other columns, is never added to: the table is
 * exported in full.
 */
final class Increments {
    private static final Logger log = LoggerFactory.getLogger(Increments.class);

    static final String UNCHANGED = "unchanged";
    static final String NOTHING_NEW = "no rows past the mark";

    /** A table's units, empty when it is skipped, and what planning read of it (absent for a plain full export). */
    record Planned(List<Unit> units, Optional<Plan.TableMarks> marks) {}

    private final Store store;
    private final Source source;
    private final JobConfig config;
    private final long splitSize;

    /** {@code splitSize}: the job's, or what the planner chose for {@code --split-size auto}. */
    Increments(Store store, Source source, JobConfig config, long splitSize) {
        this.store = store;
        this.source = source;
        this.config = config;
        this.splitSize = splitSize;
    }

    Planned plan(TableInfo t) throws Exception {
        Optional<String> cursor = cursorOf(config, t.name());
        if (!config.skipUnchanged() && cursor.isEmpty()) {
            return new Planned(source.units(t, splitSize), Optional.empty());
        }
        String marker = config.skipUnchanged() ? source.changeMarker(t).orElse(null) : null;
        String mark = null;
        if (cursor.isPresent()) {
            String column = cursor.get();
            if (t.columns().stream().map(Column::name).noneMatch(column::equals)) {
                throw new JobException("--cursor names column " + column + " for table " + t.name() + ", which has no"
                        + " such column (columns: " + String.join(", ", t.columns().stream().map(Column::name).toList())
                        + ")");
            }
            mark = source.cursorMark(t, column).orElse(null);
        }
        Optional<Manifest> current = config.fullRefresh() || store == null ? Optional.empty() : manifest(t);
        if (marker != null && current.isPresent() && marker.equals(current.get().changeMarker())
                && t.columns().equals(current.get().columns())) {
            log.info("Table {} is unchanged since execution {} (marker {}): skipped", t.name(),
                    current.get().execution(), marker);
            return skipped(t, marker, cursor.orElse(null), current.get().mark(), UNCHANGED);
        }
        if (cursor.isEmpty()) {
            return new Planned(source.units(t, splitSize),
                    Optional.of(new Plan.TableMarks(t.name(), marker, null, null, null, null)));
        }
        String column = cursor.get();
        Optional<Manifest> base = current.filter(m -> column.equals(m.cursor()) && m.mark() != null);
        List<Unit> units = source.units(t, splitSize);
        if (base.isPresent() && mark != null && t.columns().equals(base.get().columns())) {
            if (mark.equals(base.get().mark())) {
                log.info("Table {} has no rows past its mark {} = {}: skipped", t.name(), column, mark);
                return skipped(t, marker, column, mark, NOTHING_NEW);
            }
            Cursor range = new Cursor(column, base.get().mark(), mark);
            log.info("Table {}: rows with {} in ({}, {}] are added to the export of execution {}", t.name(), column,
                    range.after(), mark, base.get().execution());
            return new Planned(units.stream().map(u -> u.withCursor(range)).toList(), Optional.of(
                    new Plan.TableMarks(t.name(), marker, column, mark, base.get().execution(), null)));
        }
        if (base.isPresent()) {
            log.info("Table {} is exported in full: {}", t.name(), mark == null ? "it holds no " + column + " now"
                    : "its columns changed since execution " + base.get().execution());
        }
        // in full: up to the mark, so rows that arrive meanwhile wait for the next increment; an empty table in full
        Cursor all = mark == null ? null : new Cursor(column, null, mark);
        return new Planned(units.stream().map(u -> u.withCursor(all)).toList(),
                Optional.of(new Plan.TableMarks(t.name(), marker, column, mark, null, null)));
    }

    private static Planned skipped(TableInfo t, String marker, String cursor, String mark, String why) {
        return new Planned(List.of(), Optional.of(new Plan.TableMarks(t.name(), marker, cursor, mark, null, why)));
    }

    /** The column of the first {@code --cursor} whose glob matches {@code table}. */
    static Optional<String> cursorOf(JobConfig config, String table) {
        return config.cursors().stream().filter(c -> TableFilter.regex(c.table()).matcher(table).matches())
                .map(JobConfig.CursorRule::column).findFirst();
    }

    /** The table's current manifest, if it is one this job can build on: same format and compression. */
    private Optional<Manifest> manifest(TableInfo t) throws IOException {
        Optional<byte[]> bytes = store.read(Layout.manifest(t.name()));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Manifest m;
        try {
            m = Json.MAPPER.readValue(bytes.get(), Manifest.class);
        } catch (IOException e) {
            log.warn("The manifest of table {} cannot be read ({}): the table is exported in full", t.name(),
                    e.getMessage());
            return Optional.empty();
        }
        if (!config.format().toString().equals(m.format()) || !config.compression().toString().equals(m.compression())) {
            log.info("Table {} was exported as {} {} last time: it is exported in full", t.name(), m.format(),
                    m.compression());
            return Optional.empty();
        }
        return Optional.of(m);
    }
}
