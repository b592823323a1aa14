package io.spillway.cli;

import io.spillway.engine.EngineEnvironment;
import io.spillway.engine.ExitCode;
import io.spillway.engine.TaskStatus;
import io.spillway.layout.Json;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.publish.PublishIntent;
import io.spillway.publish.UnitRecord;
import io.spillway.log.CloudLoggingEncoder;
import io.spillway.log.LogFormat;
import io.spillway.source.Sources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code spillway} command. */
@Command(name = "spillway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exports every table of a database to a bucket or a folder, split across parallel tasks.")
public final class Main implements Runnable {
    /** The commands by the names of their {@code @Command}, in the order {@code --help} lists them. */
    static final Map<String, Class<?>> COMMANDS = commands("run", RunCommand.class, "task", TaskCommand.class,
            "plan", PlanCommand.class, "status", StatusCommand.class, "verify", VerifyCommand.class,
            "render", RenderCommand.class,
            "demo", DemoCommand.class, "help", HelpCommand.class);

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "auto", scope = ScopeType.INHERIT,
            description = "auto (JSON lines on stdout under Cloud Run, Kubernetes or AWS Batch, else text on stderr),"
                    + " text or json (default: ${DEFAULT-VALUE})")
    String logFormat;

    public static void main(String[] args) {
        // an exception no code caught, on any thread: one line, never a stack trace on the terminal
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println("spillway: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                    .lines().findFirst().orElse("") + " (in thread " + thread.getName() + ")");
            System.err.flush();
        });
        warmUp();
        Sources.processEndsWithCommand();
        System.exit(commandLine(System.getenv(), args).execute(args));
    }

    /**
     * Sets up, on a second thread while picocli reads the command line, what every command then needs:
     * logging, the calendar and time zone data, Jackson's mapper and its (de)serializers of what a task stores.
     * Class initialization happens once per JVM and is thread-safe, and Jackson caches what it builds: the main
     * thread waits for what this thread is still setting up, never does it twice. A one-row task starts about
     * 50 ms sooner for the first three and 40 more for the serializers, for some CPU; so not on a single core
     * (Cloud Run's default task), where the two threads would only take turns.
     */
    private static void warmUp() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread warm = new Thread(() -> {
            try {
                LoggerFactory.getILoggerFactory();
                Calendar.getInstance();
                Json.prepare(Plan.class, UnitRecord.class, TaskStatus.class, PublishIntent.class, Manifest.class);
            } catch (RuntimeException | LinkageError e) {
                // the main thread meets the same failure where it reports it
            }
        }, "warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** The command line with every command, reading option defaults from {@code env}. */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, new String[0]);
    }

    /**
     * The command line as {@code main} runs it for {@code arguments}: with only the command they start
     * with, when they start with one. Picocli builds each command's model by reflection when it is
     * added, and every task of an engine (started as {@code spillway task}) would pay for all of them.
     */
    public static CommandLine commandLine(Map<String, String> env, String[] arguments) {
        Main main = new Main();
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cmd = new CommandLine(main, new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == TaskCommand.class ? (K) new TaskCommand(env) : defaults.create(type);
            }
        });
        Class<?> only = arguments.length == 0 || arguments[0].equals("help") ? null : COMMANDS.get(arguments[0]);
        for (Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
            if (only == null || c.getValue() == only) {
                cmd.addSubcommand(c.getKey(), c.getValue());
            }
        }
        cmd.setDefaultValueProvider(new EnvDefaults(env));
        cmd.setExecutionStrategy(parseResult -> {
            LogFormat format;
            try {
                format = LogFormat.choose(main.logFormat, EngineEnvironment.underEngine(env));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cmd, e.getMessage());
            }
            // set for this command only, so that commands run one after another in one JVM (tests) stay apart
            LogFormat previous = LogFormat.current();
            Map<String, String> labels = MDC.getCopyOfContextMap();
            LogFormat.use(format);
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (CommandLine.ExecutionException e) {
                return report(e.getCause() instanceof Exception x ? x : e, e.getCommandLine());
            } finally {
                LogFormat.use(previous);
                MDC.setContextMap(labels == null ? Map.of() : labels);
            }
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine));
        cmd.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("spillway: " + e.getMessage() + " (see --help)");
            err.flush();
            return ExitCode.BAD_JOB.code;
        });
        return cmd;
    }

    /** Prints why a command failed and gives its exit code: the one place exceptions become exit codes. */
    private static int report(Exception e, CommandLine commandLine) {
        ExitCode code = ExitCode.of(e);
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        PrintWriter err = commandLine.getErr();
        if (LogFormat.current() == LogFormat.JSON) {
            // one structured record, which engines' log collectors read on stderr too; the stack trace only
            // when a retry may help, since a wrong job is fixed from the message
            err.print(new String(CloudLoggingEncoder.line("ERROR", message + " (exit code " + code.code + ")",
                    Instant.now(), Main.class.getName(), MDC.getCopyOfContextMap(),
                    code == ExitCode.BAD_JOB ? null : stackTrace(e)), StandardCharsets.UTF_8));
        } else {
            err.println("spillway: " + message);
        }
        err.flush();
        return code.code;
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed: run, task, plan, status, verify, render or demo");
    }

    private static Map<String, Class<?>> commands(Object... namesAndClasses) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < namesAndClasses.length; i += 2) {
            byName.put((String) namesAndClasses[i], (Class<?>) namesAndClasses[i + 1]);
        }
        return byName;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"spillway " + (v == null ? "dev" : v)};
        }
    }
}
