package io.spillway.store;

import io.spillway.spi.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * A store that stands for a process killed at a chosen step: every change it makes (a commit, a
 * create-if-absent, a move, a delete) is a step, counted from 1; at step {@code crashAt} it throws
 * {@link Crash} before the change reaches the store, and from then on refuses everything, so no
 * clean-up of the dying process can touch the destination, as after kill -9. A hook may run after
 * each step (to pause a thread there, for race tests).
 */
public final class FaultyStore implements Store {
    /** The process died here. An error, so that nothing catches it on the way out. */
    public static final class Crash extends Error {
        Crash(String message) {
            super(message, null, false, false);
        }
    }

    private final Store store;
    private final int crashAt;
    private final AtomicInteger steps = new AtomicInteger();
    private volatile boolean dead;
    private volatile IntConsumer afterStep = n -> {};
    private volatile Predicate<String> dieAfter = what -> false;
    /** Per thread: a task's export and its publishes run on threads of their own, beside each other. */
    private final ThreadLocal<String> lastStep = ThreadLocal.withInitial(() -> "");

    /** {@code crashAt} 0 never crashes: it only counts. */
    public FaultyStore(Store store, int crashAt) {
        this.store = store;
        this.crashAt = crashAt;
    }

    public int steps() {
        return steps.get();
    }

    /** The last step the calling thread made (a hook runs on the thread of its step). */
    public String lastStep() {
        return lastStep.get();
    }

    public boolean crashed() {
        return dead;
    }

    public FaultyStore afterStep(IntConsumer hook) {
        this.afterStep = hook;
        return this;
    }

    /**
     * Dies right after the first step that {@code step} accepts (its description, such as {@code create
     * <path>}): the next step, of whichever thread, throws {@link Crash}. For a kill at a point of the
     * work rather than at a step number, which threads publishing beside the export make vary.
     */
    public FaultyStore dieAfter(Predicate<String> step) {
        this.dieAfter = step;
        return this;
    }

    private void alive() {
        if (dead) {
            throw new Crash("the process is dead");
        }
    }

    private void step(String what, IOAction action) throws IOException {
        alive();
        int n = steps.incrementAndGet();
        if (n == crashAt) {
            dead = true;
            throw new Crash("killed before step " + n + ": " + what);
        }
        lastStep.set(what);
        action.run();
        afterStep.accept(n);
        if (dieAfter.test(what)) {
            dead = true;
        }
    }

    private interface IOAction {
        void run() throws IOException;
    }

    @Override
    public String uri() {
        return store.uri();
    }

    @Override
    public void checkWritable() throws IOException {
        alive();
        store.checkWritable();
    }

    @Override
    public StoreOutput create(String path) throws IOException {
        alive();
        StoreOutput out = store.create(path);
        return new StoreOutput() {
            @Override
            public OutputStream stream() {
                return out.stream();
            }

            @Override
            public void commit() throws IOException {
                step("commit " + path, out::commit);
            }

            @Override
            public void close() throws IOException {
                if (!dead) {
                    out.close(); // a dead process leaves its temporary files behind
                }
            }
        };
    }

    @Override
    public boolean createIfAbsent(String path, byte[] content) throws IOException {
        boolean[] created = new boolean[1];
        step("create " + path, () -> created[0] = store.createIfAbsent(path, content));
        return created[0];
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        alive();
        return store.read(path);
    }

    @Override
    public InputStream open(String path) throws IOException {
        alive();
        return store.open(path);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        alive();
        return store.list(prefix);
    }

    @Override
    public void move(String from, String to) throws IOException {
        step("move " + from + " -> " + to, () -> store.move(from, to));
    }

    @Override
    public void delete(String path) throws IOException {
        step("delete " + path, () -> store.delete(path));
    }

    @Override
    public void deleteAll(String prefix) throws IOException {
        for (StoredObject o : list(prefix)) {
            delete(o.path());
        }
        step("delete all " + prefix, () -> store.deleteAll(prefix)); // what is left: temporary files, empty folders
    }

    @Override
    public Optional<String> crc32c(String path) throws IOException {
        alive();
        return store.crc32c(path);
    }
}
