package io.spillway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code spillway ARGS} in a JVM of its own, with an environment of the test's choosing: a real process to kill. */
public final class TaskProcess {
    private final Process process;
    private final Path log;

    private TaskProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static TaskProcess start(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        command.addAll(ownTemporaryFolder(env, log));
        command.add("io.spillway.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPILLWAY_") || k.startsWith("AWS_")
                || k.startsWith("CLOUD_RUN_") || k.equals("JOB_COMPLETION_INDEX"));
        pb.environment().putAll(env);
        return new TaskProcess(pb.start(), log);
    }

    /**
     * A temporary folder beside the log, unless the test chose one (in JAVA_TOOL_OPTIONS): a killed JVM leaves there
     * what it could not delete, above all the 71 MB native library DuckDB's driver unpacks, and the test's own
     * temporary folder goes with it.
     */
    public static List<String> ownTemporaryFolder(Map<String, String> env, Path log) throws IOException {
        if (env.getOrDefault("JAVA_TOOL_OPTIONS", "").contains("java.io.tmpdir")) {
            return List.of();
        }
        return List.of("-Djava.io.tmpdir=" + Files.createDirectories(temporaryFolder(log)));
    }

    /** The temporary folder of the process logging to {@code log}, where the test did not choose one. */
    public static Path temporaryFolder(Path log) {
        return log.resolveSibling(log.getFileName() + ".tmp");
    }

    public Process process() {
        return process;
    }

    /** Waits for the process to end and returns its exit code; fails with its output if it takes too long. */
    public int waitFor(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("spillway did not end within " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
