package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.publish.Journal;
import io.spillway.source.Sources;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.TableInfo;
import io.spillway.store.local.LocalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A small SQLite warehouse of three tables, exported in this JVM task after task, and the checks a
 * reader of the destination relies on: every manifest matches its files, and the destination holds
 * exactly what a clean export of the current data holds.
 */
final class ExportFixture {
    static final List<String> TABLES = List.of("accounts", "events", "notes");

    final Path db;

    ExportFixture(Path db) {
        this.db = db;
    }

    /** Version 1 or 2 of the data: 2 changes rows, has fewer events and more notes, so files are replaced, dropped and added. */
    void load(int version) throws Exception {
        Files.deleteIfExists(db);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT, balance INTEGER)");
            s.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT, kind TEXT)");
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            c.setAutoCommit(false);
            for (int i = 1; i <= 120; i++) {
                s.execute("INSERT INTO accounts VALUES (" + i + ", 'owner number " + i + " v" + version + "', "
                        + (i * 10 + version) + ")");
            }
            for (int i = 1; i <= (version == 1 ? 60 : 25); i++) {
                s.execute("INSERT INTO events VALUES (" + i + ", 'event " + i + " of version " + version + "', "
                        + (i % 3 == 0 ? "NULL" : i % 3 == 1 ? "'a'" : "'b/c'") + ")");
            }
            for (int i = 1; i <= (version == 1 ? 10 : 50); i++) {
                s.execute("INSERT INTO notes VALUES (" + i + ", 'note " + i + " v" + version + " " + "x".repeat(20) + "')");
            }
            c.commit();
        }
    }

    JobConfig config(Path dest, JobConfig.Versioning layout) throws Exception {
        long accounts;
        try (Source source = Sources.open("sqlite:" + db)) {
            accounts = source.tables().stream().filter(t -> t.name().equals("accounts"))
                    .mapToLong(TableInfo::estimatedBytes).findFirst().orElseThrow();
        }
        return new JobConfig("sqlite:" + db, dest.toString(), Format.CSV, Compression.NONE, 1024, accounts / 3 + 1,
                List.of(), List.of(), layout, 2, 1, 0, Duration.ofHours(1), 1).validate();
    }

    /** Runs every task of {@code execution} in turn on {@code store}, attempt {@code attempt}. */
    static void run(JobConfig config, String execution, int attempt, Store store, Clock clock) throws Exception {
        for (int t = 0; t < config.tasks(); t++) {
            try (Source source = Sources.open(config.source())) {
                new TaskRunner(config, new TaskContext(t, config.tasks(), attempt, execution, "test"), clock,
                        Journal.defaultLease()).run(source, store);
            }
        }
    }

    /** Every table's manifest and the bytes of its files, in manifest order; fails where a manifest does not match its files. */
    static Map<String, List<String>> verified(Path dest) throws IOException {
        return verified(new LocalStore(dest));
    }

    /** As {@link #verified(Path)}, for any store. */
    static Map<String, List<String>> verified(Store store) throws IOException {
        Map<String, List<String>> tables = new TreeMap<>();
        for (String table : TABLES) {
            var manifestFile = store.read(Layout.manifest(table));
            if (manifestFile.isEmpty()) {
                continue;
            }
            Manifest m = Json.read(manifestFile.get(), Manifest.class, "manifest");
            List<String> files = new ArrayList<>();
            long rows = 0;
            for (Manifest.File f : m.files()) {
                var file = store.read(Layout.tableDir(table) + f.name());
                assertThat(file).as("%s listed by the manifest of %s", f.name(), table).isPresent();
                byte[] bytes = file.get();
                CRC32C crc = new CRC32C();
                crc.update(bytes);
                assertThat(bytes.length).as("size of %s of %s", f.name(), table).isEqualTo(f.bytes());
                assertThat(String.format("%08x", crc.getValue())).as("CRC32C of %s of %s", f.name(), table)
                        .isEqualTo(f.crc32c());
                String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                assertThat(text.lines().count() - 1).as("rows of %s of %s", f.name(), table).isEqualTo(f.rows());
                rows += f.rows();
                files.add(f.name().substring(f.name().lastIndexOf('/') + 1) + "\n" + text);
            }
            assertThat(rows).as("rows of %s", table).isEqualTo(m.rows());
            tables.put(table, files);
        }
        return tables;
    }

    /**
     * Every file under a table's folder but its manifest, named relative to it (partition folders included);
     * not the hidden temporary file of a write a crash cut short.
     */
    static List<String> filesOfTable(Path dest, String table) throws IOException {
        Path dir = dest.resolve(Layout.tableDir(table));
        return filesUnder(dir).stream().filter(p -> !p.getFileName().toString().startsWith("."))
                .map(p -> dir.relativize(p).toString()).filter(n -> !n.equals(Layout.MANIFEST)).sorted().toList();
    }

    /** The shard files in a table's own folder (not in run folders), by name. */
    static List<String> shardsInFolder(Path dest, String table) throws IOException {
        Path dir = dest.resolve(Layout.tableDir(table));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> Layout.shardPattern(table).matcher(n).matches())
                    .sorted().toList();
        }
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    static LocalStore store(Path dest) {
        return new LocalStore(dest);
    }
}
