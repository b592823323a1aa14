package io.spillway.spi;

import java.util.Map;
import java.util.Set;

/**
 * Makes the sources of one kind. Found by {@link java.util.ServiceLoader}: a source is a package
 * with a factory named in {@code META-INF/services/io.spillway.spi.SourceFactory}, not a new
 * branch in a switch.
 */
public interface SourceFactory {
    /**
     * The variable in {@code env} (see {@link #open}) that says how many task processes run at once in the memory this
     * one finds, 1 when absent: a source that sizes its memory from the machine's divides it among them. The local
     * executor sets it for {@code spillway run --isolate}.
     */
    String TASKS_SHARING_MEMORY = "SPILLWAY_TASKS_SHARING_MEMORY";

    /** The URI schemes this kind answers to, lower case ({@code postgresql}); {@code jdbc:} is stripped first. */
    Set<String> schemes();

    /** How a URI of this kind is written, for the message that lists every kind ({@code duckdb:PATH}). */
    String usage();

    /**
     * The options of this kind's URIs that carry secrets (lower case), masked wherever a URI is shown.
     * A password in the user-info is always masked, and so is any option whose name looks secret.
     */
    default Set<String> secretOptions() {
        return Set.of();
    }

    /**
     * Opens the source; {@code env} is the process environment (credentials, endpoints). A URI the
     * user must fix is a {@link JobException} naming what to fix, without credentials.
     */
    Source open(String uri, Map<String, String> env);

    /**
     * Called once, before any source opens, by a process that ends when its command does (the command
     * line's, not a test's JVM): a kind whose closing only gives back memory may leave that to the
     * process's exit. The default does nothing.
     */
    default void processEndsWithCommand() {}
}
