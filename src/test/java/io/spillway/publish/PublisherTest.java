package io.spillway.publish;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.format.ShardFile;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.plan.Planner;
import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.KeyRange;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoredObject;
import io.spillway.spi.Unit;
import io.spillway.store.DelegatingStore;
import io.spillway.store.MemoryStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The publisher alone, on a store in memory, fed unit records as tasks leave them: nothing is
 * visible before the last unit, then the files in unit order under their numbered names with a
 * manifest that describes them; publishing again changes nothing; an older execution never
 * replaces a newer one; the versioned layout keeps the newest runs.
 */
class PublisherTest {
    private static final List<Column> COLUMNS = List.of(new Column("id", "BIGINT"));

    private final MemoryStore store = new MemoryStore("mem://publisher");

    @Test
    void nothingIsVisibleUntilEveryUnitIsCommittedThenTheFilesAndTheManifestAre() throws Exception {
        Plan plan = plan("e1", Instant.parse("2026-12-05T06:00:00Z"), 3);
        Publisher publisher = publisher(plan, JobConfig.Versioning.REPLACE);
        commit(plan, 0, "id\n1\n2\n");
        commit(plan, 2, "id\n5\n", "id\n6\n7\n");
        assertThat(publisher.publishIfComplete("t")).isFalse();
        assertThat(store.list("t/")).isEmpty();

        commit(plan, 1, "id\n3\n4\n");
        assertThat(publisher.publishIfComplete("t")).isTrue();

        Manifest manifest = manifest();
        assertThat(manifest.execution()).isEqualTo("e1");
        assertThat(manifest.rows()).isEqualTo(7);
        assertThat(manifest.files()).extracting(Manifest.File::name).containsExactly("t_000000000000.csv",
                "t_000000000001.csv", "t_000000000002.csv", "t_000000000003.csv");
        assertThat(dataFiles()).containsExactly(Map.entry("t/t_000000000000.csv", "id\n1\n2\n"),
                Map.entry("t/t_000000000001.csv", "id\n3\n4\n"), Map.entry("t/t_000000000002.csv", "id\n5\n"),
                Map.entry("t/t_000000000003.csv", "id\n6\n7\n"));
        for (Manifest.File f : manifest.files()) {
            byte[] bytes = store.read("t/" + f.name()).orElseThrow();
            assertThat(f.bytes()).isEqualTo(bytes.length);
            assertThat(f.crc32c()).isEqualTo(crc(bytes));
        }
        assertThat(store.list(Layout.stagingTable("e1", "t"))).isEmpty();

        List<StoredObject> before = store.list("");
        assertThat(publisher(plan, JobConfig.Versioning.REPLACE).publishIfComplete("t")).isTrue();
        assertThat(store.list("")).isEqualTo(before);
    }

    @Test
    void aNewerExecutionReplacesEveryOldFileAndAnOlderOneLeavesTheNewerAsItIs() throws Exception {
        Plan first = plan("e1", Instant.parse("2026-12-05T06:00:00Z"), 2);
        commit(first, 0, "id\n1\n");
        commit(first, 1, "id\n2\n");
        Plan late = plan("e0", Instant.parse("2026-12-05T05:00:00Z"), 1);
        commit(late, 0, "id\nold\n");
        Plan second = plan("e2", Instant.parse("2026-12-05T07:00:00Z"), 1);
        commit(second, 0, "id\n9\n");

        assertThat(publisher(first, JobConfig.Versioning.REPLACE).publishIfComplete("t")).isTrue();
        assertThat(publisher(second, JobConfig.Versioning.REPLACE).publishIfComplete("t")).isTrue();
        assertThat(dataFiles()).containsExactly(Map.entry("t/t_000000000000.csv", "id\n9\n"));

        assertThat(publisher(late, JobConfig.Versioning.REPLACE).publishIfComplete("t")).isTrue();
        assertThat(manifest().execution()).isEqualTo("e2");
        assertThat(dataFiles()).containsExactly(Map.entry("t/t_000000000000.csv", "id\n9\n"));
        assertThat(store.list(Layout.stagingTable("e0", "t"))).isEmpty();
    }

    @Test
    void theVersionedLayoutPublishesIntoARunFolderAndKeepsTheNewestOlderRuns() throws Exception {
        for (int e = 1; e <= 4; e++) {
            Plan plan = plan("e" + e, Instant.parse("2026-12-05T06:00:00Z").plus(Duration.ofHours(e)), 1);
            commit(plan, 0, "id\n" + e + "\n");
            assertThat(publisher(plan, JobConfig.Versioning.VERSIONED).publishIfComplete("t")).isTrue();
        }
        Manifest manifest = manifest();
        assertThat(manifest.execution()).isEqualTo("e4");
        assertThat(manifest.files()).extracting(Manifest.File::name).containsExactly("run=e4/t_000000000000.csv");
        assertThat(new String(store.read("t/run=e4/t_000000000000.csv").orElseThrow(), UTF_8)).isEqualTo("id\n4\n");
        assertThat(dataFiles().keySet()).containsExactly("t/run=e3/t_000000000000.csv", "t/run=e4/t_000000000000.csv");
    }

    /**
     * Two tasks of one incremental execution end at once, each holding the last unit it saw: task B has
     * looked for a publish under way (none) when task A publishes the table whole. B must take A's publish
     * as the execution's, not fail because the current export is no longer the one the increment adds to
     * (it did, seen in DayTwoTest under load), and not publish the table a second time.
     */
    @Test
    void whenAnotherTaskOfTheSameExecutionPublishesFirstTheIncrementIsNotRefusedNorPublishedTwice() throws Exception {
        Plan base = plan("e1", Instant.parse("2026-12-05T06:00:00Z"), 1);
        commit(base, 0, "id\n1\n");
        assertThat(publisher(base, JobConfig.Versioning.REPLACE).publishIfComplete("t")).isTrue();

        Plan two = plan("e2", Instant.parse("2026-12-05T07:00:00Z"), 2);
        Plan increment = new Plan(two.execution(), two.createdAt(), two.tasks(), two.fingerprint(), two.assignments(),
                null, List.of(new Plan.TableMarks("t", null, "id", "3", "e1", null)));
        commit(increment, 0, "id\n2\n");
        commit(increment, 1, "id\n3\n");
        Publisher taskA = publisher(increment, JobConfig.Versioning.REPLACE);
        int[] manifestReads = {0};
        Store hooked = new DelegatingStore(store) {
            @Override
            public Optional<byte[]> read(String path) throws IOException {
                if (path.equals(Layout.manifest("t")) && manifestReads[0]++ == 0) {
                    assertThat(taskA.publishIfComplete("t")).isTrue(); // A publishes between B's look and B's read
                }
                return super.read(path);
            }
        };
        Publisher taskB = new Publisher(hooked, increment, Format.CSV, Compression.NONE, JobConfig.Versioning.REPLACE, 1,
                Clock.fixed(increment.createdAt().plusSeconds(60), ZoneOffset.UTC), Journal.defaultLease(), List.of());

        assertThat(taskB.publishIfComplete("t")).isTrue();
        assertThat(manifestReads[0]).as("B read the manifest after A published").isPositive();
        Manifest manifest = manifest();
        assertThat(manifest.execution()).isEqualTo("e2");
        assertThat(manifest.rows()).isEqualTo(3);
        assertThat(dataFiles()).containsExactly(Map.entry("t/t_000000000000.csv", "id\n1\n"),
                Map.entry("t/t_000000000001.csv", "id\n2\n"), Map.entry("t/t_000000000002.csv", "id\n3\n"));
        List<StoredObject> published = store.list("");
        assertThat(publisher(increment, JobConfig.Versioning.REPLACE).publishIfComplete("t")).isTrue();
        assertThat(store.list("")).as("published once: publishing again changes nothing").isEqualTo(published);
    }

    private Plan plan(String execution, Instant at, int parts) {
        List<Unit> units = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            units.add(parts == 1 ? Unit.whole("t", 10)
                    : new Unit("t", p, parts, KeyRange.integers("id", p == 0 ? null : (long) p,
                            p == parts - 1 ? null : (long) p + 1, false), 10));
        }
        return new Plan(execution, at, 2, "job", Planner.assign(units, 2));
    }

    private Publisher publisher(Plan plan, JobConfig.Versioning layout) {
        return new Publisher(store, plan, Format.CSV, Compression.NONE, layout, 1,
                Clock.fixed(plan.createdAt().plusSeconds(60), ZoneOffset.UTC), Journal.defaultLease());
    }

    /** Stages the unit's files as a task does and writes its record. */
    private void commit(Plan plan, int part, String... contents) throws Exception {
        Unit unit = plan.unitsOfTable("t").get(part);
        String prefix = Layout.stagingUnit(plan.execution(), "t", part, "token" + part);
        List<ShardFile> files = new ArrayList<>();
        for (int i = 0; i < contents.length; i++) {
            byte[] bytes = contents[i].getBytes(UTF_8);
            store.write(prefix + i + ".csv", bytes);
            files.add(new ShardFile(prefix + i + ".csv", contents[i].lines().count() - 1, bytes.length, crc(bytes)));
        }
        UnitRecord record = new UnitRecord(plan.execution(), "t", unit.part(), unit.parts(), 0, 0, "token" + part,
                files, COLUMNS, plan.createdAt(), null, plan.createdAt());
        assertThat(store.createIfAbsent(Layout.unitRecord(plan.execution(), "t", part), Json.write(record))).isTrue();
    }

    private Manifest manifest() throws Exception {
        return Json.read(store.read(Layout.manifest("t")).orElseThrow(), Manifest.class, "manifest");
    }

    /** The data files under the table's folder and their text, by path. */
    private Map<String, String> dataFiles() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (StoredObject o : store.list("t/")) {
            if (o.path().endsWith(".csv")) {
                files.put(o.path(), new String(store.read(o.path()).orElseThrow(), UTF_8));
            }
        }
        return files;
    }

    private static String crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }
}
