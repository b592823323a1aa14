package io.spillway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A memory cgroup of its own, the kernel's limit that engines set on a container: a process started through
 * {@link #command} runs in it, and the kernel kills it if it grows past the limit. Needs a cgroup file system the
 * test may write (root, cgroup v1 or v2); the test is skipped elsewhere.
 */
public final class MemoryCgroup implements AutoCloseable {
    private final Path dir;

    private MemoryCgroup(Path dir) {
        this.dir = dir;
    }

    public static MemoryCgroup of(long bytes) throws IOException {
        Path v1 = Path.of("/sys/fs/cgroup/memory");
        Path v2 = Path.of("/sys/fs/cgroup");
        String name = "spillway-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        if (Files.isWritable(v1.resolve("cgroup.procs")) && Files.exists(v1.resolve("memory.limit_in_bytes"))) {
            Path g = Files.createDirectory(v1.resolve(name));
            Files.writeString(g.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            return new MemoryCgroup(g);
        }
        boolean memoryOnV2 = Files.isReadable(v2.resolve("cgroup.subtree_control"))
                && Files.readString(v2.resolve("cgroup.subtree_control")).contains("memory");
        assumeTrue(memoryOnV2 && Files.isWritable(v2.resolve("cgroup.procs")), "no memory cgroup this test may make");
        Path g = Files.createDirectory(v2.resolve(name));
        Files.writeString(g.resolve("memory.max"), Long.toString(bytes));
        return new MemoryCgroup(g);
    }

    /** {@code command}, run in this cgroup: a shell puts itself in it, then becomes the command. */
    public List<String> command(List<String> command) {
        List<String> all = new java.util.ArrayList<>(List.of("sh", "-c",
                "echo $$ > " + dir.resolve("cgroup.procs") + " && exec \"$0\" \"$@\""));
        all.addAll(command);
        return all;
    }

    /** How many processes of this cgroup the kernel has killed for memory. */
    public long oomKills() throws IOException {
        Path events = Files.exists(dir.resolve("memory.oom_control")) ? dir.resolve("memory.oom_control")
                : dir.resolve("memory.events");
        return Files.readAllLines(events).stream().filter(l -> l.startsWith("oom_kill "))
                .mapToLong(l -> Long.parseLong(l.substring("oom_kill ".length()).trim())).sum();
    }

    /** Removes the cgroup, once the processes in it have ended. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(dir);
    }
}
