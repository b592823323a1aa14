package io.spillway.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/** The {@code spillway} command. */
@Command(name = "spillway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exports every table of a database to a bucket or a folder, split across parallel tasks.",
        subcommands = {RunCommand.class, TaskCommand.class, PlanCommand.class, DemoCommand.class, HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line as {@code main} runs it, reading option defaults from {@code env}. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cmd = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return type == TaskCommand.class ? (K) new TaskCommand(env) : defaults.create(type);
            }
        });
        cmd.setDefaultValueProvider(new EnvDefaults(env));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("spillway: " + message);
            err.flush();
            return ExitCode.of(e).code;
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
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed: run, task, plan or demo");
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"spillway " + (v == null ? "dev" : v)};
        }
    }
}
