package io.spillway.engine;

import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.log.TaskLogFiles;
import io.spillway.publish.Journal;
import io.spillway.source.Sources;
import io.spillway.spi.ScratchFiles;
import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import io.spillway.spi.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of an execution on this machine as an engine would, at most {@code parallelism}
 * at once; a failed attempt is retried with the next attempt number (unless it said the job is
 * wrong, exit 2), and an attempt past the task timeout is stopped and counts as failed.
 *
 * <p>By default each attempt runs on a thread of this JVM, which has already started, loaded its
 * classes and read the catalogue: a task costs no JVM start. With {@code isolate} each attempt is
 * a process of its own with its identity in the environment, as on a real engine: a crash of the
 * JVM (out of memory, a native library) then takes only that task down, and each has its own heap.
 * Either way an attempt's log goes to its own file.
 */
public final class LocalExecutor {
    private static final Logger log = LoggerFactory.getLogger(LocalExecutor.class);
    private static final List<String> ENGINE_VARIABLES = List.of("CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT",
            "CLOUD_RUN_TASK_ATTEMPT", "CLOUD_RUN_EXECUTION", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX",
            "AWS_BATCH_JOB_ATTEMPT", "AWS_BATCH_JOB_ID");

    /** How one task ended: its last exit code after {@code attempts} tries, and its last status. */
    public record Outcome(int task, int attempts, int exitCode, boolean timedOut, Optional<TaskStatus> status) {}

    private final JobConfig config;
    private final String execution;
    private final Store store;
    private final Path logs;
    private final Progress progress;
    private final boolean isolate;
    private final AtomicReference<Source> spare = new AtomicReference<>();

    public LocalExecutor(JobConfig config, String execution, Store store, Path logs, PrintWriter out, boolean live,
            boolean isolate) {
        this.config = config;
        this.execution = execution;
        this.store = store;
        this.logs = logs;
        this.isolate = isolate;
        this.progress = new Progress(store, execution, config.tasks(), out, live);
    }

    /**
     * Runs every task; {@code planning}, when not null, is the source the plan was just made with, still open: the
     * first attempt that runs on a thread takes it instead of opening its own, as {@code spillway task} plans and
     * exports with one source (one connection and its checks fewer). It is closed here if no attempt took it.
     */
    public List<Outcome> run(Source planning) throws Exception {
        spare.set(planning);
        try {
            return runAll();
        } finally {
            Source left = spare.getAndSet(null);
            if (left != null) {
                left.close();
            }
        }
    }

    private List<Outcome> runAll() throws Exception {
        Files.createDirectories(logs);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.parallelism(), config.tasks()));
        List<Future<Outcome>> futures = new ArrayList<>();
        progress.start();
        try {
            for (int t = 0; t < config.tasks(); t++) {
                int task = t;
                futures.add(pool.submit(() -> runTask(task)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            progress.stop();
            deleteTree(logs.resolve("tmp")); // what killed tasks left behind, like DuckDB's unpacked native library
        }
    }

    private Outcome runTask(int task) throws Exception {
        int code = 1;
        boolean timedOut = false;
        int attempt = 0;
        for (; attempt <= config.maxRetries(); attempt++) {
            OptionalInt ended = isolate ? inProcess(task, attempt) : inThread(task, attempt);
            timedOut = ended.isEmpty();
            code = ended.orElse(ExitCode.FAILED.code);
            if (code == ExitCode.OK.code || code == ExitCode.BAD_JOB.code) {
                break;
            }
        }
        progress.taskEnded();
        return new Outcome(task, Math.min(attempt + 1, config.maxRetries() + 1), code, timedOut, status(task));
    }

    /** The attempt's exit code, or empty when it passed the task timeout and was stopped. */
    private OptionalInt inProcess(int task, int attempt) throws IOException, InterruptedException {
        Process p = start(task, attempt);
        if (p.waitFor(config.taskTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.of(p.exitValue());
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return OptionalInt.empty();
    }

    /**
     * The attempt on a thread of this JVM, with its own source (or the one the plan was made with, if no attempt
     * took it yet) and this executor's store; its exit
     * code is what {@code spillway task} would have ended with. Past the timeout it is interrupted.
     */
    private OptionalInt inThread(int task, int attempt) throws InterruptedException {
        TaskLogFiles.install();
        Path logFile = logOf(task, attempt);
        TaskContext context = new TaskContext(task, config.tasks(), attempt, execution, "local");
        FutureTask<Integer> run = new FutureTask<>(() -> {
            TaskLogFiles.route(logFile);
            Source planning = spare.getAndSet(null);
            try (Source source = planning != null ? planning : Sources.open(config.source())) {
                TaskStatus status = new TaskRunner(config, context, Clock.systemUTC(), Journal.defaultLease(), false)
                        .run(source, store);
                log.info("Task {} of {} (execution {}, attempt {}) {}: {} units exported, {} skipped, {} rows", task,
                        config.tasks(), execution, attempt, status.state().name().toLowerCase(Locale.ROOT),
                        status.unitsDone(), status.unitsSkipped(), status.rows());
                return ExitCode.OK.code;
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                log.error("{}", e.getMessage() == null ? e.toString() : e.getMessage());
                log.debug("Task {} attempt {} failed", task, attempt, e);
                return ExitCode.of(e).code;
            } finally {
                TaskLogFiles.unroute();
            }
        });
        Thread thread = new Thread(run, "task-" + task + "-attempt-" + attempt);
        thread.setDaemon(true);
        thread.start();
        try {
            return OptionalInt.of(run.get(config.taskTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10).toMillis());
            return OptionalInt.empty();
        } catch (ExecutionException e) {
            return OptionalInt.of(ExitCode.FAILED.code);
        }
    }

    private Process start(int task, int attempt) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault("SPILLWAY_TASK_JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC");
        for (String o : opts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                command.add(o);
            }
        }
        // tasks map the same class data archive and compile as this process (see the spillway launcher)
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-XX:Tier")) {
                command.add(a);
            }
        }
        Path tmp = Files.createDirectories(logs.resolve("tmp"));
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.spillway.cli.Main", "task"));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        ENGINE_VARIABLES.forEach(env::remove);
        env.putAll(environment(task, attempt));
        Path log = logs.resolve("task-" + task + "-attempt-" + attempt + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /** The job and the task's identity as environment variables: no credential ever reaches a command line. */
    Map<String, String> environment(int task, int attempt) {
        Map<String, String> env = new HashMap<>();
        env.put("SPILLWAY_SOURCE", config.source());
        env.put("SPILLWAY_DEST", config.dest());
        env.put("SPILLWAY_FORMAT", config.format().toString());
        env.put("SPILLWAY_COMPRESSION", config.compression().toString());
        env.put("SPILLWAY_MAX_FILE_SIZE", Long.toString(config.maxFileSize()));
        env.put("SPILLWAY_SPLIT_SIZE", JobConfig.splitSizeText(config.splitSize()));
        env.put("SPILLWAY_INCLUDE", String.join(",", config.includes()));
        env.put("SPILLWAY_EXCLUDE", String.join(",", config.excludes()));
        env.put("SPILLWAY_LAYOUT", config.layout().toString().toLowerCase());
        if (config.layout() == JobConfig.Versioning.VERSIONED) {
            env.put("SPILLWAY_KEEP", Integer.toString(config.keep()));
        }
        if (!config.snapshot()) {
            env.put("SPILLWAY_NO_SNAPSHOT", "true");
        }
        if (config.consistent()) {
            env.put("SPILLWAY_CONSISTENT", "true");
        }
        if (config.skipUnchanged()) {
            env.put("SPILLWAY_SKIP_UNCHANGED", "true");
        }
        if (!config.cursors().isEmpty()) {
            env.put("SPILLWAY_CURSOR", config.cursors().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        if (!config.partitions().isEmpty()) {
            env.put("SPILLWAY_PARTITION_BY", config.partitions().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        if (config.fullRefresh()) {
            env.put("SPILLWAY_FULL_REFRESH", "true");
        }
        // the task processes at once share this machine's memory: a source that sizes its memory from what it finds
        // (DuckDB, which fills its limit) divides it among them, unless the user said how many share it
        int atOnce = Math.min(config.parallelism(), config.tasks());
        if (atOnce > 1 && System.getenv(SourceFactory.TASKS_SHARING_MEMORY) == null) {
            env.put(SourceFactory.TASKS_SHARING_MEMORY, Integer.toString(atOnce));
        }
        env.put("SPILLWAY_TASK_INDEX", Integer.toString(task));
        env.put("SPILLWAY_TASKS", Integer.toString(config.tasks()));
        env.put("SPILLWAY_ATTEMPT", Integer.toString(attempt));
        env.put("SPILLWAY_EXECUTION", execution);
        return env;
    }

    private static void deleteTree(Path dir) {
        try {
            ScratchFiles.delete(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            // a temporary folder we could not remove: the system's cleaner will
        }
    }

    private Optional<TaskStatus> status(int task) throws IOException {
        return store.read(Layout.taskStatus(execution, task)).map(b -> Json.read(b, TaskStatus.class, "task status"));
    }

    public Path logOf(int task, int attempt) {
        return logs.resolve("task-" + task + "-attempt-" + attempt + ".log");
    }

    /** Prints how many units are committed while the tasks run: a live line on a terminal, else a line per change. */
    private static final class Progress {
        private final Store store;
        private final String execution;
        private final int tasks;
        private final PrintWriter out;
        private final boolean live;
        private final Thread thread;
        private volatile int ended;
        private volatile boolean stopped;

        Progress(Store store, String execution, int tasks, PrintWriter out, boolean live) {
            this.store = store;
            this.execution = execution;
            this.tasks = tasks;
            this.out = out;
            this.live = live;
            this.thread = new Thread(this::loop, "progress");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private volatile int total;

        synchronized void taskEnded() {
            ended++;
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(Duration.ofSeconds(5).toMillis());
            show();
            if (live) {
                out.println();
            }
            out.flush();
        }

        private void loop() {
            String last = "";
            while (!stopped) {
                try {
                    Thread.sleep(live ? 500 : 5000);
                } catch (InterruptedException e) {
                    return;
                }
                String line = line();
                if (live || !line.equals(last)) {
                    show();
                }
                last = line;
            }
        }

        private void show() {
            String line = line();
            if (live) {
                out.print("\r" + line + "   ");
            } else {
                out.println(line);
            }
            out.flush();
        }

        private String line() {
            int committed;
            try {
                if (total <= 0) { // a stored plan does not change: read once, not at every line (megabytes at 100,000 tables)
                    total = store.read(Layout.plan(execution)).map(b -> Json.read(b, io.spillway.plan.Plan.class,
                            "plan").assignments().size()).orElse(0);
                }
                committed = store.list(Layout.execution(execution) + "units/").size();
            } catch (IOException | RuntimeException e) {
                // the tasks report the cause themselves; the progress line only says it cannot count
                return "progress unavailable: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            }
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) committed * width / total);
            return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + committed + "/" + total
                    + " units committed, " + Math.min(ended, tasks) + "/" + tasks + " tasks finished";
        }
    }
}
