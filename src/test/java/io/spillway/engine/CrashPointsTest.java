package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.publish.Journal;
import io.spillway.store.FaultyStore;
import io.spillway.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an execution before each of its steps in turn, every change it makes to the destination
 * (each staged file's commit, each unit record, each file moved into place, each manifest, each
 * deletion, each journal entry), then resumes it, either as a retry of the same execution or as a
 * new execution. After the resume, whatever the step, the destination must verify (every manifest
 * matches its files) and hold exactly what a clean export holds, with no file of the previous
 * export left over and no publish unfinished. With the versioned layout a reader who follows the
 * manifest must also see a complete export at the moment of the kill.
 */
class CrashPointsTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> replaceLayout() throws Exception {
        return crashPoints(JobConfig.Versioning.REPLACE);
    }

    @TestFactory
    Stream<DynamicTest> versionedLayout() throws Exception {
        return crashPoints(JobConfig.Versioning.VERSIONED);
    }

    /** With {@code --partition-by events=kind}: a unit's files in several partition folders, NULL and 'b/c' among them. */
    @TestFactory
    Stream<DynamicTest> partitionedReplaceLayout() throws Exception {
        partitions = List.of(JobConfig.PartitionRule.parse("events=kind"));
        return crashPoints(JobConfig.Versioning.REPLACE);
    }

    private List<JobConfig.PartitionRule> partitions = List.of();

    private JobConfig config(ExportFixture fixture, Path dest, JobConfig.Versioning layout) throws Exception {
        return fixture.config(dest, layout).withPartitions(partitions);
    }

    private Stream<DynamicTest> crashPoints(JobConfig.Versioning layout) throws Exception {
        ExportFixture fixture = new ExportFixture(tmp.resolve("warehouse.sqlite"));
        fixture.load(2);
        Path clean = tmp.resolve("clean");
        ExportFixture.run(config(fixture, clean, layout), "clean", 0, new LocalStore(clean), Clock.systemUTC());
        Map<String, List<String>> expected = ExportFixture.verified(clean);
        assertThat(expected).containsOnlyKeys(ExportFixture.TABLES);

        fixture.load(1);
        Path before = tmp.resolve("before");
        ExportFixture.run(config(fixture, before, layout), "e0", 0, new LocalStore(before), Clock.systemUTC());
        assertThat(ExportFixture.verified(before)).containsOnlyKeys(ExportFixture.TABLES).isNotEqualTo(expected);
        fixture.load(2);
        JobConfig config = config(fixture, before, layout);

        Path counted = copy(before, tmp.resolve("counted"));
        FaultyStore counter = new FaultyStore(new LocalStore(counted), 0);
        ExportFixture.run(withDest(config, counted), "e1", 0, counter, Clock.systemUTC());
        int steps = counter.steps();
        assertThat(steps).as("steps of one execution").isGreaterThan(30);

        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 1; k <= steps; k++) {
            for (boolean sameExecution : new boolean[] {true, false}) {
                int step = k;
                String name = layout + ", killed before step " + k + " of " + steps + ", resumed by "
                        + (sameExecution ? "a retry" : "a new execution");
                tests.add(DynamicTest.dynamicTest(name, () -> killAndResume(config, before, step, sameExecution,
                        expected, layout)));
            }
        }
        return tests.stream();
    }

    private void killAndResume(JobConfig config, Path before, int step, boolean sameExecution,
            Map<String, List<String>> expected, JobConfig.Versioning layout) throws Exception {
        Path dest = copy(before, tmp.resolve("kill-" + layout + "-" + step + "-" + sameExecution));
        JobConfig job = withDest(config, dest);
        LocalStore store = new LocalStore(dest);
        FaultyStore dying = new FaultyStore(store, step);
        assertThatThrownBy(() -> ExportFixture.run(job, "e1", 0, dying, Clock.systemUTC()))
                .isInstanceOf(FaultyStore.Crash.class);
        if (layout == JobConfig.Versioning.VERSIONED) {
            ExportFixture.verified(dest); // whoever follows a manifest sees a whole export, old or new
        }

        String resumed = sameExecution ? "e1" : "e2";
        // a new execution takes an unfinished publish over once its lease is over
        Clock clock = sameExecution ? Clock.systemUTC()
                : Clock.offset(Clock.systemUTC(), Journal.defaultLease().plus(Duration.ofHours(1)));
        ExportFixture.run(job, resumed, sameExecution ? 1 : 0, store, clock);

        assertThat(ExportFixture.verified(dest)).isEqualTo(expected);
        assertThat(new Journal(store, Clock.systemUTC(), Journal.defaultLease()).unfinished()).isEmpty();
        assertThat(ExportFixture.filesUnder(dest.resolve(Layout.staging(resumed)))).isEmpty();
        for (String table : ExportFixture.TABLES) {
            List<String> shards = ExportFixture.shardsInFolder(dest, table);
            if (!config.partitions().isEmpty() && table.equals("events")) {
                Manifest m = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "m");
                assertThat(ExportFixture.filesOfTable(dest, table)).as("files under the folder of %s", table)
                        .containsExactlyElementsOf(m.files().stream().map(Manifest.File::name).sorted().toList());
                assertThat(m.partitions()).extracting(Manifest.Partition::value).containsExactlyInAnyOrder("a", "b/c", null);
            } else if (layout == JobConfig.Versioning.REPLACE) {
                assertThat(shards).as("files in the folder of %s", table)
                        .containsExactlyElementsOf(expected.get(table).stream().map(f -> f.substring(0, f.indexOf('\n'))).toList());
            } else {
                assertThat(shards).as("files in the folder of %s", table).isEmpty();
            }
        }
    }

    private static JobConfig withDest(JobConfig c, Path dest) {
        return new JobConfig(c.source(), dest.toString(), c.format(), c.compression(), c.maxFileSize(), c.splitSize(),
                c.includes(), c.excludes(), c.layout(), c.tasks(), c.parallelism(), c.maxRetries(), c.taskTimeout(),
                c.keep(), c.snapshot()).withPartitions(c.partitions());
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
