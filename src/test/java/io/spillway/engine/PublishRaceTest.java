package io.spillway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.publish.Journal;
import io.spillway.source.Sources;
import io.spillway.spi.Source;
import io.spillway.store.FaultyStore;
import io.spillway.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two executions overlap: the older one, A, is paused in the middle of a publish (a GC pause, a
 * slow copy, SIGSTOP), the newer one, B, runs to its end, then A wakes up and goes on. B must
 * win: the destination ends as B's export, whole, in both layouts, and A neither overwrites a
 * file of B's nor deletes B's run.
 */
class PublishRaceTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} layout, A paused after {1}")
    @CsvSource({
        "REPLACE, its publish intent",
        "REPLACE, its first move",
        "REPLACE, its manifest",
        "VERSIONED, its publish intent",
        "VERSIONED, its first move",
        "VERSIONED, its manifest",
    })
    void aPausedOlderExecutionNeverOverwritesANewerOne(JobConfig.Versioning layout, String pausePoint) throws Exception {
        ExportFixture fixture = new ExportFixture(tmp.resolve("warehouse.sqlite"));
        fixture.load(2);
        Path clean = tmp.resolve("clean");
        ExportFixture.run(fixture.config(clean, layout), "clean", 0, new LocalStore(clean), Clock.systemUTC());
        Map<String, List<String>> expected = ExportFixture.verified(clean);

        // A exports version 1 from a database of its own: its export goes on while B runs, and a SQLite
        // file rewritten under a reader fails the read (SQLITE_READONLY_ROLLBACK), which is not this race
        ExportFixture older = new ExportFixture(tmp.resolve("older.sqlite"));
        older.load(1);
        Path dest = tmp.resolve("dest");
        JobConfig config = older.config(dest, layout);
        JobConfig newer = fixture.config(dest, layout);
        LocalStore store = new LocalStore(dest);
        Predicate<String> pauseAfter = switch (pausePoint) {
            case "its publish intent" -> s -> s.startsWith("create " + Layout.STATE + "/publishing/");
            case "its first move" -> s -> s.startsWith("move ");
            default -> s -> s.startsWith("commit ") && s.endsWith("/" + Layout.MANIFEST) && !s.contains(Layout.RUN);
        };
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        FaultyStore aStore = new FaultyStore(store, 0);
        aStore.afterStep(n -> {
            if (paused.getCount() > 0 && pauseAfter.test(aStore.lastStep())) {
                paused.countDown();
                await(wake);
            }
        });
        Duration lease = Duration.ofMillis(300);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> a = pool.submit(() -> {
                for (int t = 0; t < config.tasks(); t++) {
                    try (Source source = Sources.open(config.source())) {
                        new TaskRunner(config, new TaskContext(t, config.tasks(), 0, "a", "test"), Clock.systemUTC(),
                                lease).run(source, aStore);
                    }
                }
                return null;
            });
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("A reached its pause").isTrue();

            for (int t = 0; t < newer.tasks(); t++) {
                try (Source source = Sources.open(newer.source())) {
                    TaskStatus b = new TaskRunner(newer, new TaskContext(t, newer.tasks(), 0, "b", "test"),
                            Clock.systemUTC(), lease).run(source, store);
                    assertThat(b.state()).isEqualTo(TaskStatus.State.SUCCEEDED);
                }
            }
            for (String table : ExportFixture.TABLES) {
                assertThat(manifest(dest, table).execution()).isEqualTo("b");
            }

            wake.countDown();
            a.get(60, TimeUnit.SECONDS);
        } finally {
            wake.countDown();
            pool.shutdownNow();
        }

        for (String table : ExportFixture.TABLES) {
            assertThat(manifest(dest, table).execution()).as("the execution of %s's manifest", table).isEqualTo("b");
            List<String> shards = ExportFixture.shardsInFolder(dest, table);
            if (layout == JobConfig.Versioning.REPLACE) {
                assertThat(shards).containsExactlyElementsOf(
                        expected.get(table).stream().map(f -> f.substring(0, f.indexOf('\n'))).toList());
            } else {
                assertThat(Files.exists(dest.resolve(Layout.run(table, "b") + Layout.MANIFEST))).isTrue();
            }
        }
        assertThat(ExportFixture.verified(dest)).isEqualTo(expected);
        assertThat(new Journal(store, Clock.systemUTC(), lease).unfinished()).isEmpty();
        assertThat(ExportFixture.filesUnder(dest.resolve(Layout.staging("a")))).isEmpty();
        assertThat(ExportFixture.filesUnder(dest.resolve(Layout.staging("b")))).isEmpty();
    }

    private static Manifest manifest(Path dest, String table) throws Exception {
        return Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
