package io.spillway.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.Store;
import io.spillway.spi.Store.StoreOutput;
import io.spillway.spi.Store.StoredObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every store promises (see {@link Store}); each backend's test extends this with a live store. */
public abstract class StoreContract {

    /** A store on an empty destination. */
    protected abstract Store store();

    /** The largest object the backend's tests should write to go past one upload part or chunk. */
    protected int bigObjectSize() {
        return 3 << 20;
    }

    @Test
    void writesReadsAndListsRecursivelyInOrder() throws Exception {
        Store s = store();
        s.write("b/2.txt", "two".getBytes(UTF_8));
        s.write("a/x/1.txt", "one".getBytes(UTF_8));
        s.write("a/0.txt", "zero".getBytes(UTF_8));
        s.write("ab.txt", "ab".getBytes(UTF_8));

        assertThat(s.list("a/")).extracting(StoredObject::path).containsExactly("a/0.txt", "a/x/1.txt");
        assertThat(s.list("a")).extracting(StoredObject::path).containsExactly("a/0.txt", "a/x/1.txt", "ab.txt");
        assertThat(s.list("")).hasSize(4);
        assertThat(s.list("a/0.txt").get(0).size()).isEqualTo(4);
        assertThat(s.read("b/2.txt")).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("two"));
        assertThat(s.read("b/3.txt")).isEmpty();
        assertThat(s.list("nothing/")).isEmpty();
    }

    @Test
    void nothingIsVisibleBeforeCommitAndCloseWithoutCommitDiscards() throws Exception {
        Store s = store();
        byte[] big = random(bigObjectSize());
        try (StoreOutput out = s.create("t/file.bin")) {
            out.stream().write(big, 0, big.length / 2);
            out.stream().write(big, big.length / 2, big.length - big.length / 2);
            assertThat(s.list("t/")).isEmpty();
        }
        assertThat(s.list("t/")).isEmpty();
        assertThat(s.read("t/file.bin")).isEmpty();
    }

    @Test
    void commitsLargeObjectsStreamedAfterTheStreamIsClosed() throws Exception {
        Store s = store();
        byte[] big = random(bigObjectSize());
        try (StoreOutput out = s.create("t/big.bin")) {
            OutputStream stream = out.stream();
            for (int i = 0; i < big.length; i += 100_003) {
                stream.write(big, i, Math.min(100_003, big.length - i));
            }
            stream.close(); // as a compressor closes its target before commit
            out.commit();
        }
        assertThat(s.read("t/big.bin")).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
        try (InputStream in = s.open("t/big.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
        assertThat(s.list("t/")).containsExactly(new StoredObject("t/big.bin", big.length));
    }

    @Test
    void emptyObjectsAreObjects() throws Exception {
        Store s = store();
        try (StoreOutput out = s.create("e/empty.csv")) {
            out.commit();
        }
        assertThat(s.list("e/")).containsExactly(new StoredObject("e/empty.csv", 0));
    }

    @Test
    void createIfAbsentHasExactlyOneWinner() throws Exception {
        Store s = store();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                byte[] content = ("writer " + i).getBytes(UTF_8);
                tries.add(pool.submit(() -> s.createIfAbsent("state/plan.json", content)));
            }
            int winners = 0;
            for (Future<Boolean> f : tries) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.createIfAbsent("state/plan.json", "late".getBytes(UTF_8))).isFalse();
        assertThat(new String(s.read("state/plan.json").orElseThrow(), UTF_8)).startsWith("writer ");
    }

    @Test
    void createIfAbsentOfTheSameBytesAgainIsTheSameWin() throws Exception {
        Store s = store();
        byte[] record = "unit record with token 1234".getBytes(UTF_8);
        assertThat(s.createIfAbsent("units/1.json", record)).isTrue();
        // a retry after a lost answer finds its own object: it must not think another task won
        assertThat(s.createIfAbsent("units/1.json", record)).isTrue();
    }

    @Test
    void moveReplacesTheTargetAndDeleteIgnoresMissingObjects() throws Exception {
        Store s = store();
        s.write("staging/1.csv", "new".getBytes(UTF_8));
        s.write("table/table_000000000000.csv", "old".getBytes(UTF_8));
        s.move("staging/1.csv", "table/table_000000000000.csv");
        assertThat(s.read("staging/1.csv")).isEmpty();
        assertThat(new String(s.read("table/table_000000000000.csv").orElseThrow(), UTF_8)).isEqualTo("new");
        s.delete("table/table_000000000000.csv");
        s.delete("table/table_000000000000.csv");
        assertThat(s.list("table/")).isEmpty();
    }

    @Test
    void deleteAllRemovesEverythingUnderAPrefixOnly() throws Exception {
        Store s = store();
        for (int i = 0; i < 5; i++) {
            s.write("staging/x/" + i, new byte[i]);
        }
        s.write("staging/y", new byte[1]);
        s.deleteAll("staging/x/");
        assertThat(s.list("staging/")).extracting(StoredObject::path).containsExactly("staging/y");
    }

    @Test
    void refusesPathsThatLeaveTheDestination() {
        Store s = store();
        assertThatThrownBy(() -> s.write("../escape", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.write("a/../../escape", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scratchFilesAreAdoptedAsObjects() throws Exception {
        Store s = store();
        var file = s.scratchFile("u/native.csv");
        java.nio.file.Files.write(file, "a,b\n1,2\n".getBytes(UTF_8));
        s.adopt(file, "u/000000.csv");
        assertThat(new String(s.read("u/000000.csv").orElseThrow(), UTF_8)).isEqualTo("a,b\n1,2\n");
        assertThat(file).doesNotExist();
    }

    protected static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
