package io.spillway.cli;

import io.spillway.config.JobConfig;
import io.spillway.config.Sizes;
import io.spillway.engine.EngineEnvironment;
import io.spillway.engine.ExitCode;
import io.spillway.engine.TaskContext;
import io.spillway.engine.TaskRunner;
import io.spillway.engine.TaskStatus;
import io.spillway.publish.Journal;
import io.spillway.source.Sources;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.store.Stores;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One task of an execution, its identity taken from the engine's environment: the container entrypoint. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = "Runs one task; index, count, attempt and execution come from Cloud Run, Kubernetes or AWS Batch.")
final class TaskCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(TaskCommand.class);

    @Mixin
    ExportOptions export;

    @Option(names = "--task-index", paramLabel = "I", description = "this task's index (default: from the engine)")
    Integer index;

    @Option(names = "--tasks", paramLabel = "N", description = "the number of tasks (default: from the engine, or SPILLWAY_TASKS)")
    Integer tasks;

    @Option(names = "--attempt", paramLabel = "A", description = "this attempt, 0 first (default: from the engine)")
    Integer attempt;

    @Option(names = "--execution", paramLabel = "ID", description = "the execution id shared by all tasks (default: from the engine)")
    String execution;

    private final Map<String, String> env;

    TaskCommand() {
        this(System.getenv());
    }

    TaskCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        TaskContext context = EngineEnvironment.read(env, new EngineEnvironment.Overrides(index, tasks, attempt, execution));
        // kept to the end of the process, so that its last log line (success or error) carries them too
        MDC.put("execution", context.execution());
        MDC.put("task", Integer.toString(context.index()));
        MDC.put("attempt", Integer.toString(context.attempt()));
        JobConfig config = export.config(context.count(), 1, 0, "1h");
        TaskStatus status;
        try (Source source = Sources.open(config.source(), env); Store store = Stores.open(config.dest(), env)) {
            status = new TaskRunner(config, context, Clock.systemUTC(), Journal.defaultLease()).run(source, store);
        }
        // logged, not printed: under an engine stdout carries only JSON log lines
        log.info("Task {} of {} (execution {}, attempt {}) {}: {} units exported, {} skipped, {} rows, {}",
                context.index(), context.count(), context.execution(), context.attempt(),
                status.state().name().toLowerCase(), status.unitsDone(), status.unitsSkipped(), status.rows(),
                Sizes.format(status.bytes()));
        return ExitCode.OK.code;
    }
}
