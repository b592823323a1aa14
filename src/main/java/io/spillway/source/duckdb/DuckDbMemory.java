package io.spillway.source.duckdb;

import io.spillway.config.Sizes;
import io.spillway.spi.JobException;
import io.spillway.spi.SourceFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * The memory DuckDB may use in a task: {@code SPILLWAY_DUCKDB_MEMORY_LIMIT}, or by default half of DuckDB's own
 * default, at most 1GB, shared by the tasks that run at once in the same memory ({@code SPILLWAY_TASKS_SHARING_MEMORY},
 * which {@code spillway run --isolate} sets for its task processes).
 *
 * <p>DuckDB's own default is 80% of the memory it finds for the process: the machine's, or the container's limit
 * (it reads the cgroup's, as the JVM does). DuckDB fills its limit with the pages it reads, so with 80% of a
 * container the JVM beside it has no room: a task of Cloud Run's default 512 MiB exporting a 580 MB table was
 * killed by the kernel (signal 9, the engine retries it in vain) under a fixed 1GB limit; under 200MB it took 3.7 s
 * and peaked at 330 MB. Half of DuckDB's default is 40% of the container (205 MiB of 512 MiB), and 1GB from 2.5 GB up.
 *
 * @param described the limit as the user wrote it, or the default and where it comes from, for messages
 * @param byMemory whether the task's memory, not a setting or the cap, chose the limit
 * @param sharing how many tasks, this one among them, the default was divided among (1 for a limit the user set)
 */
record DuckDbMemory(long bytes, String described, boolean byMemory, int sharing) {
    static final String VARIABLE = "SPILLWAY_DUCKDB_MEMORY_LIMIT";
    /** How many task processes, each with a DuckDB of its own that fills its limit, run at once in this memory. */
    static final String SHARING = SourceFactory.TASKS_SHARING_MEMORY;
    /** The most the default gives DuckDB, however much memory the machine has. */
    static final String CAP = "1GB";
    /** Below this, DuckDB fails reading its own catalogue, with errors that do not say why. */
    private static final long LEAST = 16L << 20;
    /** DuckDB's own default in this process. */
    private static long duckDbDefault;

    /** The limit for a source opened with {@code env}: the one the user set, checked, or the default. */
    static DuckDbMemory of(Map<String, String> env) throws SQLException {
        String text = env.get(VARIABLE);
        if (text != null) {
            return configured(text);
        }
        return byDefault(duckDbDefault(), sharing(env.get(SHARING)));
    }

    /** {@code SPILLWAY_TASKS_SHARING_MEMORY}: a whole number of tasks, 1 or more; 1 when not set. */
    static int sharing(String text) {
        if (text == null || text.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the same message below
        }
        throw new JobException(SHARING + "=" + text + ": give the number of tasks that run at once in this task's"
                + " memory, 1 or more");
    }

    /** A limit the user gave: a size of 16MiB or more. */
    static DuckDbMemory configured(String text) {
        long bytes;
        try {
            bytes = Sizes.parse(text);
        } catch (JobException e) {
            throw new JobException(VARIABLE + "=" + text + ": " + e.getMessage());
        }
        if (bytes < LEAST) {
            throw new JobException(VARIABLE + "=" + text + " is too small for DuckDB: give it 16MiB or more (by default"
                    + " 40% of the task's memory, at most " + CAP + ")");
        }
        return new DuckDbMemory(bytes, text, false, 1);
    }

    /**
     * The default where DuckDB's own would be {@code duckDbDefault} bytes and {@code sharing} tasks (this one among them)
     * run at once in that memory, each with a DuckDB of its own: half of it divided among them, at most 1GB each.
     */
    static DuckDbMemory byDefault(long duckDbDefault, int sharing) {
        long cap = Sizes.parse(CAP);
        long share = duckDbDefault / 2 / sharing;
        if (share >= cap) {
            return new DuckDbMemory(cap, CAP, false, sharing);
        }
        long bytes = Math.max(LEAST, share);
        String half = "half of DuckDB's own default of " + Sizes.format(duckDbDefault)
                + " (80% of the memory it finds for this task)";
        return new DuckDbMemory(bytes, Sizes.format(bytes) + ", " + half + (sharing == 1 ? ""
                : ", divided among the " + sharing + " tasks that run at once in it (" + SHARING + ")"), true, sharing);
    }

    /** What to do when DuckDB ran out of this limit: the same limit would fail the same way again. */
    String advice() {
        return byMemory
                ? "give the task more memory" + (sharing > 1 ? ", run fewer tasks at once (--parallelism)" : "")
                        + ", or set " + VARIABLE + " higher where it has room"
                : "raise " + VARIABLE + ", to twice that say";
    }

    /**
     * DuckDB's own default, read once a process from an in-memory database (about 15 ms): a file's database takes its
     * limit when it is opened (connections to one file in a process share its database, and all must be opened with
     * the same settings), and setting it after opening left a two-COPY export hung once in the tests.
     */
    private static synchronized long duckDbDefault() throws SQLException {
        if (duckDbDefault == 0) {
            try (Connection c = DuckDbDriver.connect("jdbc:duckdb:", new Properties()); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT current_setting('memory_limit')")) {
                r.next();
                duckDbDefault = Sizes.parse(r.getString(1)); // e.g. "409.5 MiB"
            } catch (JobException e) {
                duckDbDefault = 2 * Sizes.parse(CAP); // a form this does not read: the default as on a large machine
            }
        }
        return duckDbDefault;
    }
}
