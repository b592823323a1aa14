package io.spillway.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.store.StoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store store() {
        return new LocalStore(dir);
    }

    @Test
    void createIfAbsentHasExactlyOneWinnerAmongConcurrentWriters() throws Exception {
        var store = new LocalStore(dir);
        var pool = Executors.newFixedThreadPool(8);
        List<Callable<Boolean>> writers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            byte[] content = ("writer " + i).getBytes(StandardCharsets.UTF_8);
            writers.add(() -> store.createIfAbsent("x/plan.json", content));
        }
        long winners = pool.invokeAll(writers).stream().filter(f -> {
            try {
                return f.get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).count();
        pool.shutdown();
        assertThat(winners).isOne();
        assertThat(new String(store.read("x/plan.json").orElseThrow(), StandardCharsets.UTF_8)).startsWith("writer ");
        assertThat(store.list("x/")).hasSize(1);
    }

    @Test
    void nothingIsVisibleBeforeCommitAndAnAbortLeavesNothing() throws Exception {
        var store = new LocalStore(dir);
        try (var out = store.create("a/b.csv")) {
            out.stream().write("data".getBytes(StandardCharsets.UTF_8));
            assertThat(store.read("a/b.csv")).isEmpty();
            assertThat(store.list("")).isEmpty();
        }
        assertThat(store.list("")).isEmpty();
        store.write("a/b.csv", "v1".getBytes(StandardCharsets.UTF_8));
        store.write("a/b.csv", "v2".getBytes(StandardCharsets.UTF_8));
        assertThat(store.read("a/b.csv")).hasValue("v2".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void movesListsDeletesAndPrunesEmptyFolders() throws Exception {
        var store = new LocalStore(dir);
        store.write("s/x/1.csv", new byte[3]);
        store.write("s/x/2.csv", new byte[5]);
        store.move("s/x/1.csv", "t/1.csv");
        assertThat(store.list("")).extracting(o -> o.path() + ":" + o.size()).containsExactly("s/x/2.csv:5", "t/1.csv:3");
        store.deleteAll("s/");
        store.delete("s/never-there.csv");
        assertThat(dir.resolve("s")).doesNotExist();
        assertThat(store.list("t/")).hasSize(1);
    }

    @Test
    void refusesPathsThatLeaveTheRoot() {
        var store = new LocalStore(dir.resolve("d"));
        assertThatThrownBy(() -> store.write("../escape", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("escape")).doesNotExist();
    }

    @Test
    void aSymbolicLinkUnderTheRootIsNotFollowedOutOfIt() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "keep");
        Path root = Files.createDirectories(dir.resolve("d"));
        Files.createSymbolicLink(root.resolve("t"), outside);
        var store = new LocalStore(root);
        assertThatThrownBy(() -> store.write("t/t_000000000000.csv", new byte[1])).isInstanceOf(JobException.class)
                .hasMessageContaining("is a symbolic link to " + outside.toRealPath()).hasMessageContaining("outside");
        assertThatThrownBy(() -> store.read("t/secret.txt")).isInstanceOf(JobException.class);
        assertThatThrownBy(() -> store.list("t/")).isInstanceOf(JobException.class);
        assertThatThrownBy(() -> store.deleteAll("t/")).isInstanceOf(JobException.class);
        assertThat(outside.resolve("t_000000000000.csv")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("keep");
        Files.createDirectories(root.resolve("inside"));
        Files.createSymbolicLink(root.resolve("u"), root.resolve("inside"));
        store.write("u/f", new byte[1]); // a link that stays inside the root is fine
        assertThat(root.resolve("inside/f")).exists();
    }

    @Test
    void aFolderWhereNothingCanBeMadeIsNotWritable() {
        assertThatThrownBy(() -> new LocalStore(Path.of("/proc/spillway/export")).checkWritable())
                .isInstanceOf(JobException.class).hasMessageContaining("cannot be written");
        assertThat(Path.of("/proc/spillway")).doesNotExist();
    }

    @Test
    void aDestinationUnderAFileIsNotWritable() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> new LocalStore(dir.resolve("file/sub")).checkWritable())
                .isInstanceOf(JobException.class).hasMessageContaining("is a file");
    }

    @Test
    void listingAFolderThatAnotherTaskChangesAtTheSameTimeNeverFails() throws Exception {
        var store = new LocalStore(dir);
        for (int i = 0; i < 50; i++) {
            store.write("t/t_" + i + ".csv", new byte[] {1, 2, 3});
        }
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var pool = Executors.newSingleThreadExecutor();
        // another task publishing: a manifest written through temporary files, files moved, staging cleared
        var churn = pool.submit(() -> {
            for (int i = 0; !stop.get(); i++) {
                store.write("t/manifest.json", new byte[] {(byte) i});
                store.move("t/t_" + (i % 50) + ".csv", "t/t_" + (i % 50) + ".moved");
                store.move("t/t_" + (i % 50) + ".moved", "t/t_" + (i % 50) + ".csv");
                store.write("t/s/" + (i % 7) + "/f.csv", new byte[] {1});
                store.deleteAll("t/s/" + ((i + 3) % 7) + "/");
            }
            return null;
        });
        try {
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < deadline && !churn.isDone()) {
                assertThat(store.list("t/")).allMatch(o -> o.size() >= 1);
            }
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        churn.get();
        assertThat(store.list("t/t_")).hasSize(50);
    }

    @Test
    void twoTasksClearingTheSameFolderAtOnceBothSucceedAndLeaveNothing() throws Exception {
        var store = new LocalStore(dir);
        var pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 200; i++) {
                    store.write("staging/x/" + (i % 10) + "/" + i + ".csv", new byte[] {1});
                }
                var a = pool.submit(() -> {
                    store.deleteAll("staging/x/");
                    return null;
                });
                var b = pool.submit(() -> {
                    store.deleteAll("staging/x/");
                    return null;
                });
                a.get();
                b.get();
                assertThat(dir.resolve("staging")).doesNotExist();
            }
        } finally {
            pool.shutdown();
        }
    }
}
