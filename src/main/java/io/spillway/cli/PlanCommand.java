package io.spillway.cli;

import io.spillway.config.JobConfig;
import io.spillway.config.Sizes;
import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import io.spillway.plan.Plan;
import io.spillway.plan.Plans;
import io.spillway.source.Sources;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.spi.Unit;
import io.spillway.store.Stores;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the units, their weights and their assignment to N tasks; writes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Shows how the tables would be split across tasks.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    ExportOptions export;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "1", description = "number of tasks (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--json", description = "print the plan as JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean noDest = export.dest == null;
        if (noDest) {
            export.dest = "."; // plan writes nothing; a destination is only read for --skip-unchanged and --cursor
        }
        JobConfig config = export.config(tasks, 1, 0, "1h");
        boolean readsDest = !noDest && (config.skipUnchanged() || !config.cursors().isEmpty());
        Plan plan;
        try (Source source = Sources.open(config.source()); Store store = readsDest ? Stores.open(config.dest()) : null) {
            plan = Plans.make(store, source, config, "plan", tasks, Clock.systemUTC());
        }
        // picocli's writer flushes at every line: 110,000 lines for 100,000 tables; this one when it is full
        PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), 1 << 16), false);
        if (json) {
            out.println(new String(Json.write(plan), StandardCharsets.UTF_8));
        } else {
            print(plan, out);
        }
        out.flush();
        return ExitCode.OK.code;
    }

    private static void print(Plan plan, PrintWriter out) {
        List<List<Unit>> byTask = plan.unitsByTask();
        // lines built, not printf'd: Formatter parses its pattern at every line, which at start-up took a
        // second of a 100,000-table plan
        StringBuilder line = new StringBuilder(128);
        for (int t = 0; t < plan.tasks(); t++) {
            var units = byTask.get(t);
            line.setLength(0);
            line.append("task ").append(t).append(": ").append(units.size()).append(" units, ")
                    .append(Sizes.format(units.stream().mapToLong(Unit::weight).sum()));
            out.println(line);
            for (Unit u : units) {
                line.setLength(0);
                line.append("    ").append(u.id());
                pad(line, 4 + 50); // "    %-50s %12s"
                String size = Sizes.format(u.weight());
                line.append(' ');
                pad(line, line.length() + 12 - size.length());
                out.println(line.append(size));
            }
        }
        double mean = plan.tasks() == 0 ? 0 : (double) plan.totalWeight() / plan.tasks();
        for (Plan.TableMarks m : plan.skipped()) {
            out.printf("skipped %s: %s%n", m.table(), m.skipped());
        }
        out.printf(Locale.ROOT, "%d tables, %d units, %s on %d tasks; mean load %s; largest task %.2f x the mean%n",
                plan.tables().size(), plan.assignments().size(), Sizes.format(plan.totalWeight()), plan.tasks(),
                Sizes.format((long) mean), plan.imbalance());
    }

    /** Spaces up to {@code width} characters, if the line is shorter. */
    private static void pad(StringBuilder line, int width) {
        while (line.length() < width) {
            line.append(' ');
        }
    }
}
