package io.spillway.cli;

import io.spillway.engine.EngineEnvironment;
import io.spillway.log.LogFormat;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code spillway} command. */
@Command(name = "spillway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exports every table of a database to a bucket or a folder, split across parallel tasks.",
        subcommands = {RunCommand.class, TaskCommand.class, PlanCommand.class, StatusCommand.class, RenderCommand.class,
                DemoCommand.class, HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "auto", scope = ScopeType.INHERIT,
            description = "auto (JSON lines on stdout under Cloud Run, Kubernetes or AWS Batch, else text on stderr),"
                    + " text or json (default: ${DEFAULT-VALUE})")
    String logFormat;

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line as {@code main} runs it, reading option defaults from {@code env}. */
    public static CommandLine commandLine(Map<String, String> env) {
        Main main = new Main();
        CommandLine cmd = new CommandLine(main);
        cmd.setDefaultValueProvider(new EnvDefaults(env));
        cmd.setExecutionStrategy(parseResult -> {
            try {
                LogFormat.use(LogFormat.choose(main.logFormat, EngineEnvironment.underEngine(env)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cmd, e.getMessage());
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            ExitCode code = ExitCode.of(e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (LogFormat.current() == LogFormat.JSON) {
                // the engine's log view is where this is read: one JSON line, with the cause when a retry may help
                Logger log = LoggerFactory.getLogger(Main.class);
                if (code == ExitCode.BAD_JOB) {
                    log.error("{} (exit code {}: the job is wrong, a retry will not help)", message, code.code);
                } else {
                    log.error("{} (exit code {})", message, code.code, e);
                }
                return code.code;
            }
            PrintWriter err = commandLine.getErr();
            err.println("spillway: " + message);
            err.flush();
            return code.code;
        });
        cmd.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("spillway: " + e.getMessage() + " (see --help)");
            err.flush();
            return ExitCode.BAD_JOB.code;
        });
        return cmd;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed: run, task, plan, status, render or demo");
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"spillway " + (v == null ? "dev" : v)};
        }
    }
}
