package io.spillway.publish;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code <table>/run=<execution>/} folders of a table in the versioned layout. A run is
 * complete once its own copy of the manifest is written; it is dated by when its execution was
 * planned. Pruning keeps the current run, the {@code keep} newest complete runs older than it, and
 * every run newer than it; older runs that never completed are debris and go too. A run's files are
 * only written by its publish, which holds the table's {@link Journal} entry, as does whoever prunes:
 * so no run is pruned while its files are being moved in.
 */
final class Runs {
    private static final Logger log = LoggerFactory.getLogger(Runs.class);

    private final Store store;
    private final String table;

    Runs(Store store, String table) {
        this.store = store;
        this.table = table;
    }

    private record Run(String execution, Instant plannedAt, boolean complete) {}

    /** A check made before each deletion; it throws to stop the pruning. */
    interface Guard {
        void check() throws IOException, Journal.Superseded;
    }

    void prune(String current, Instant plannedAt, int keep, Guard guard) throws IOException, Journal.Superseded {
        String prefix = Layout.runs(table);
        TreeSet<String> executions = new TreeSet<>();
        for (StoredObject o : store.list(prefix)) {
            String rest = o.path().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                executions.add(rest.substring(0, slash));
            }
        }
        executions.remove(current);
        List<Run> older = new ArrayList<>();
        for (String execution : executions) {
            Run run = describe(execution);
            if (run.plannedAt().isBefore(plannedAt)) {
                older.add(run);
            }
        }
        older.sort(Comparator.comparing(Run::plannedAt).reversed());
        int kept = 0;
        for (Run run : older) {
            if (run.complete() && kept < keep) {
                kept++;
                continue;
            }
            guard.check();
            log.info("Removing run {} of table {}{}", run.execution(), table, run.complete() ? "" : " (never completed)");
            store.deleteAll(prefix + run.execution() + "/");
        }
    }

    private Run describe(String execution) throws IOException {
        Optional<Manifest> manifest = read(Layout.runs(table) + execution + "/" + Layout.MANIFEST, Manifest.class);
        if (manifest.isPresent() && manifest.get().plannedAt() != null) {
            return new Run(execution, manifest.get().plannedAt(), true);
        }
        Optional<Plan> plan = Optional.empty();
        try {
            plan = read(Layout.plan(execution), Plan.class);
        } catch (RuntimeException e) {
            // not a valid execution id: not a run of ours, so it is as old as can be
        }
        return new Run(execution, plan.map(Plan::createdAt).orElse(Instant.EPOCH), false);
    }

    private <T> Optional<T> read(String path, Class<T> type) throws IOException {
        Optional<byte[]> bytes = store.read(path);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(bytes.get(), type));
        } catch (IOException e) {
            return Optional.empty(); // damaged: treated as missing
        }
    }
}
