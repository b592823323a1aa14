package io.spillway.cli;

import io.spillway.config.JobConfig;
import io.spillway.config.Sizes;
import io.spillway.engine.EngineEnvironment;
import io.spillway.engine.ExitCode;
import io.spillway.engine.LocalExecutor;
import io.spillway.engine.LocalExecutor.Outcome;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.plan.Plans;
import io.spillway.publish.Journal;
import io.spillway.source.Sources;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The whole job on this machine: plan, then N task processes with parallelism, retries and timeouts. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a whole execution on this machine, like an engine would.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ExportOptions export;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "1", description = "number of tasks (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--parallelism", paramLabel = "P", description = "tasks at once (default: the number of cores)")
    Integer parallelism;

    @Option(names = "--max-retries", paramLabel = "R", defaultValue = "3", description = "retries of a failed task (default: ${DEFAULT-VALUE})")
    int maxRetries;

    @Option(names = "--task-timeout", paramLabel = "DURATION", defaultValue = "1h", description = "stop an attempt after this long (default: ${DEFAULT-VALUE})")
    String taskTimeout;

    @Option(names = "--execution", paramLabel = "ID", description = "resume this execution instead of starting a new one")
    String execution;

    @Option(names = "--isolate", description = "run each task attempt as a process of its own, as engines do, instead of"
            + " on a thread of this process (a crash or out-of-memory then takes only that task down; each costs a JVM start)")
    boolean isolate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        JobConfig config = export.config(tasks, p, maxRetries, taskTimeout);
        return run(config, execution, isolate, spec.commandLine().getOut());
    }

    /** Plans (failing fast on a wrong job, before anything is written), runs the tasks, prints a summary. */
    static int run(JobConfig config, String executionId, boolean isolate, PrintWriter out) throws Exception {
        String execution = Layout.checkExecution(executionId == null ? EngineEnvironment.newExecutionId() : executionId);
        try (Store store = Stores.open(config.dest())) {
            store.checkWritable();
            int finished = new Journal(store, Clock.systemUTC(), Journal.defaultLease()).finishAbandoned(execution);
            if (finished > 0) {
                out.printf("Finished %d interrupted publishes found at %s%n", finished, store.uri());
            }
            Source source = Sources.open(config.source());
            Plans.Planned planned;
            try {
                planned = Plans.loadOrHold(store, source, config, execution, config.tasks(), Clock.systemUTC());
            } catch (Exception | Error e) {
                try {
                    source.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            // with --consistent this process holds the moment the task processes read as of, until they end; the
            // source that holds it is not handed to a task, nor is it to task processes (--isolate)
            if (planned.held().isPresent() || isolate) {
                source.close();
                source = null;
            }
            try (planned) {
                return execute(config, planned.plan(), store, isolate, source, out);
            }
        }
    }

    private static int execute(JobConfig config, Plan plan, Store store, boolean isolate, Source planning,
            PrintWriter out) throws Exception {
        String execution = plan.execution();
        out.printf("Execution %s: %d tables in %d units on %d tasks (largest task %.2f x the mean)%n", execution,
                plan.tables().size(), plan.assignments().size(), config.tasks(), plan.imbalance());
        skipped(plan, out);
        out.flush();
        Path logs = Path.of(System.getProperty("java.io.tmpdir"), "spillway", execution);
        LocalExecutor executor = new LocalExecutor(config, execution, store, logs, out, System.console() != null,
                isolate);
        List<Outcome> outcomes = executor.run(planning);
        summary(outcomes, out);
        boolean ok = outcomes.stream().allMatch(o -> o.exitCode() == 0);
        if (ok) {
            out.printf("Exported %d tables to %s%s%n", plan.tables().size(), store.uri(),
                    plan.skipped().isEmpty() ? "" : "; skipped " + plan.skipped().size());
            return ExitCode.OK.code;
        }
        for (Outcome o : outcomes) {
            if (o.exitCode() != 0) {
                String why = o.timedOut() ? "timed out after " + config.taskTimeout().toSeconds() + "s"
                        : o.status().map(s -> s.error()).orElse("exit code " + o.exitCode());
                out.printf("Task %d failed after %d attempts: %s (log: %s)%n", o.task(), o.attempts(), why,
                        executor.logOf(o.task(), o.attempts() - 1));
            }
        }
        if (plan.moment() != null) {
            out.printf("Execution %s failed; its --consistent moment ended with this run, so run again without"
                    + " --execution to start a new execution%n", execution);
        } else {
            out.printf("Execution %s failed; run again with --execution %s to retry only what is not done%n",
                    execution, execution);
        }
        boolean badJob = outcomes.stream().anyMatch(o -> o.exitCode() == ExitCode.BAD_JOB.code);
        return badJob ? ExitCode.BAD_JOB.code : ExitCode.FAILED.code;
    }

    static void skipped(Plan plan, PrintWriter out) {
        if (!plan.skipped().isEmpty()) {
            out.printf("Skipped %d tables: %s%n", plan.skipped().size(), plan.skipped().stream()
                    .map(m -> m.table() + " (" + m.skipped() + ")").collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    private static void summary(List<Outcome> outcomes, PrintWriter out) {
        out.printf("%5s  %-10s %8s %7s %12s %10s %8s%n", "task", "state", "attempts", "units", "rows", "bytes", "seconds");
        for (Outcome o : outcomes) {
            var s = o.status();
            String state = o.timedOut() ? "TIMED_OUT" : s.map(x -> x.state().name()).orElse(o.exitCode() == 0 ? "?" : "FAILED");
            out.printf(Locale.ROOT, "%5d  %-10s %8d %7s %12d %10s %8.1f%n", o.task(), state, o.attempts(),
                    s.map(x -> (x.unitsDone() + x.unitsSkipped()) + "/" + x.units()).orElse("-"),
                    s.map(x -> x.rows()).orElse(0L), Sizes.format(s.map(x -> x.bytes()).orElse(0L)),
                    s.map(x -> x.seconds()).orElse(0.0));
        }
        out.flush();
    }
}
