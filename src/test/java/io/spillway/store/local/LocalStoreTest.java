package io.spillway.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.job.JobException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {
    @TempDir
    Path dir;

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
    void aDestinationUnderAFileIsNotWritable() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> new LocalStore(dir.resolve("file/sub")).checkWritable())
                .isInstanceOf(JobException.class).hasMessageContaining("is a file");
    }
}
