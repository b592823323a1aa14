package io.spillway.testing;

import io.spillway.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the spillway command line in this JVM, as {@code main} would, capturing what it prints. */
public final class Cli {
    public record Result(int exitCode, String out, String err) {}

    private Cli() {}

    public static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine(env, args);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    public static Result run(String... args) {
        return run(Map.of(), args);
    }
}
