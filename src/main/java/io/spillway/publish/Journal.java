package io.spillway.publish;

import io.spillway.config.Durations;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish journal of a destination: {@code _spillway/publishing/<table>/<n>.json} is the n-th
 * publish of a table ({@link PublishIntent}), {@code <n>.done} says it was carried out. A publish
 * starts by creating the next number exclusively, so there is one publish of a table at a time,
 * and numbers only grow: whoever carries out publish n checks before every step that no publish
 * after n has started, and stops as soon as one has (it lost: a newer publish supersedes it).
 * The newest intent is never deleted, so that check cannot be fooled by clean-up.
 *
 * <p>An unfinished publish is carried out to its end by the next command that touches the table:
 * at once by a task of the same execution, after the intent's lease by any other.
 */
public final class Journal {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final String DIR = Layout.STATE + "/publishing/";
    private static final Duration POLL = Duration.ofMillis(200);
    private final Store store;
    private final Clock clock;
    private final Duration lease;

    public Journal(Store store, Clock clock, Duration lease) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
    }

    /** How long another execution leaves a publish to its owner: {@code SPILLWAY_PUBLISH_LEASE}, default 60 s. */
    public static Duration defaultLease() {
        String value = System.getenv("SPILLWAY_PUBLISH_LEASE");
        return value == null || value.isBlank() ? Duration.ofSeconds(60) : Durations.parse(value);
    }

    /** Thrown where a publish finds that a newer one has started: it must stop, touching nothing more. */
    static final class Superseded extends Exception {
        Superseded(String message) {
            super(message, null, false, false);
        }
    }

    /** The state of one table's journal: its newest publish number and whether that publish is done. */
    record Entry(String table, long number, boolean done) {}

    private static String tableDir(String table) {
        return DIR + Layout.segment(table) + "/";
    }

    private static String intentPath(String table, long number) {
        return tableDir(table) + String.format(Locale.ROOT, "%012d", number) + ".json";
    }

    private static String donePath(String table, long number) {
        return tableDir(table) + String.format(Locale.ROOT, "%012d", number) + ".done";
    }

    /** The newest publish of a table and whether it is done; number 0, done, when the table was never published. */
    Entry newest(String table) throws IOException {
        TreeMap<Long, Boolean> numbers = numbers(store.list(tableDir(table)), tableDir(table));
        if (numbers.isEmpty()) {
            return new Entry(table, 0, true);
        }
        var last = numbers.lastEntry();
        return new Entry(table, last.getKey(), last.getValue());
    }

    private static TreeMap<Long, Boolean> numbers(List<StoredObject> objects, String dir) {
        TreeMap<Long, Boolean> numbers = new TreeMap<>();
        for (StoredObject o : objects) {
            String name = o.path().substring(dir.length());
            int dot = name.indexOf('.');
            if (dot != 12 || name.indexOf('/') >= 0) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(name.substring(0, dot));
            } catch (NumberFormatException e) {
                continue;
            }
            boolean done = name.endsWith(".done");
            numbers.merge(n, done, Boolean::logicalOr);
        }
        return numbers;
    }

    /** The intent of an unfinished publish of {@code table}, if there is one. */
    public Optional<PublishIntent> unfinished(String table) throws IOException {
        Entry e = newest(table);
        return e.done() ? Optional.empty() : Optional.of(read(table, e.number()));
    }

    /** Every unfinished publish at the destination, whatever its table. */
    public List<PublishIntent> unfinished() throws IOException {
        TreeMap<String, List<StoredObject>> byTable = new TreeMap<>();
        for (StoredObject o : store.list(DIR)) {
            String rest = o.path().substring(DIR.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                byTable.computeIfAbsent(rest.substring(0, slash + 1), k -> new ArrayList<>()).add(o);
            }
        }
        List<PublishIntent> intents = new ArrayList<>();
        for (var e : byTable.entrySet()) {
            TreeMap<Long, Boolean> numbers = numbers(e.getValue(), DIR + e.getKey());
            if (!numbers.isEmpty() && !numbers.lastEntry().getValue()) {
                String path = DIR + e.getKey() + String.format(Locale.ROOT, "%012d", numbers.lastKey()) + ".json";
                intents.add(parse(store.read(path), path));
            }
        }
        return intents;
    }

    private PublishIntent read(String table, long number) throws IOException {
        String path = intentPath(table, number);
        return parse(store.read(path), path);
    }

    private PublishIntent parse(Optional<byte[]> bytes, String path) {
        byte[] json = bytes.orElseThrow(() -> new ExportException("publish intent " + path + " vanished while read"));
        return Json.read(json, PublishIntent.class, "publish intent " + path);
    }

    /**
     * Starts publish {@code intent} as the one after {@code after}; false if another publish took that
     * number first (the caller looks again).
     */
    boolean begin(PublishIntent intent, Entry after) throws IOException {
        return store.createIfAbsent(intentPath(intent.table(), after.number() + 1), Json.write(intent));
    }

    /** Until when other executions leave a publish of {@code moves} files to its owner. */
    java.time.Instant expiry(int moves) {
        // a publish that moves many files on a bucket takes a while: a tenth of a second a file on top
        return clock.instant().plus(lease).plus(Duration.ofMillis(100L * moves));
    }

    /**
     * Makes sure no publish of {@code table} is left unfinished before {@code execution} publishes it:
     * carries out one of its own execution (or whose lease is over) at once, and waits for one of
     * another execution that is still within its lease. Returns the table's newest publish, done.
     */
    Entry settle(String table, String execution) throws IOException {
        while (true) {
            Entry e = newest(table);
            if (e.done()) {
                return e;
            }
            PublishIntent intent = read(table, e.number());
            if (intent.execution().equals(execution) || !clock.instant().isBefore(intent.expiresAt())) {
                finish(intent, e.number());
                continue;
            }
            log.info("Table {} is being published by execution {}; waiting for it (until {} at most)", table,
                    intent.execution(), intent.expiresAt());
            sleep();
        }
    }

    /** Carries out every unfinished publish whose lease is over, or that belongs to {@code execution} (may be null). */
    public int finishAbandoned(String execution) throws IOException {
        int finished = 0;
        for (PublishIntent intent : unfinished()) {
            if (intent.execution().equals(execution) || !clock.instant().isBefore(intent.expiresAt())) {
                Entry e = newest(intent.table());
                if (!e.done()) {
                    finish(read(intent.table(), e.number()), e.number());
                    finished++;
                }
            }
        }
        return finished;
    }

    /** Carries out publish {@code number} of its table from wherever it stands; returns false if a newer one superseded it. */
    boolean finish(PublishIntent intent, long number) throws IOException {
        try {
            carryOut(intent, number);
            return true;
        } catch (Superseded e) {
            log.warn("Publish of table {} by execution {} stopped: {}", intent.table(), intent.execution(),
                    e.getMessage());
            return false;
        }
    }

    private void carryOut(PublishIntent intent, long number) throws IOException, Superseded {
        String table = intent.table();
        String execution = intent.execution();
        for (PublishIntent.Move m : intent.moves()) {
            guard(table, number);
            try {
                store.move(m.from(), m.to());
            } catch (NoSuchFileException e) {
                // moved already, by an earlier try of this publish or by another task carrying it out at once
                if (store.list(m.to()).stream().noneMatch(o -> o.path().equals(m.to()) && o.size() == m.bytes())) {
                    throw new JobException("table " + table + ": the publish of execution " + execution
                            + " cannot be completed: staged file " + m.from() + " is gone and was not published; "
                            + "delete " + tableDir(table) + " at the destination to give it up, then run a new execution", e);
                }
            }
        }
        byte[] manifest = Json.write(intent.manifest());
        if (intent.versioned()) {
            guard(table, number);
            store.write(Layout.run(table, execution) + Layout.MANIFEST, manifest);
        }
        guard(table, number);
        store.write(Layout.manifest(table), manifest);
        for (String path : intent.deletes()) {
            guard(table, number);
            store.delete(path);
        }
        guard(table, number);
        new Runs(store, table).prune(execution, intent.plannedAt(), intent.versioned() ? intent.keep() : 0,
                () -> guard(table, number));
        store.createIfAbsent(Layout.published(execution, table), manifest);
        store.deleteAll(Layout.stagingTable(execution, table));
        store.createIfAbsent(donePath(table, number), Json.write(intent.id()));
        for (long older = number - 1; older >= 1; older--) {
            if (store.read(intentPath(table, older)).isEmpty()) {
                break;
            }
            store.delete(intentPath(table, older));
            store.delete(donePath(table, older));
        }
        log.info("Published {}: {} rows in {} files", table, intent.manifest().rows(), intent.manifest().files().size());
    }

    /** Before each step: throws {@link Superseded} once a later publish of the table has started. */
    private void guard(String table, long number) throws IOException, Superseded {
        Entry e = newest(table);
        if (e.number() > number) {
            throw new Superseded("publish " + e.number() + " of the table has started since publish " + number);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExportException("interrupted while waiting for another execution's publish", e);
        }
    }
}
