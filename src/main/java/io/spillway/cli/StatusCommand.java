package io.spillway.cli;

import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.publish.Journal;
import io.spillway.publish.PublishIntent;
import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.status.ExecutionDetail;
import io.spillway.status.ExecutionStatus;
import io.spillway.status.ExecutionStatus.Summary;
import io.spillway.status.HtmlReport;
import io.spillway.status.StatusReader;
import io.spillway.status.StatusReport;
import io.spillway.store.Stores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The executions found at a destination and, for one of them, its tasks and tables. Writes nothing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the executions at a destination and the state of each task and table of one of them;"
                + " --html FILE draws one of them as a web page.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--dest", paramLabel = "URI", description = "the destination the executions wrote to")
    String dest;

    @Option(names = "--execution", paramLabel = "ID", description = "the execution to show (default: the newest)")
    String execution;

    @Option(names = "--json", description = "print the executions and the shown execution as JSON")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "write the shown execution as one self-contained HTML page (timeline, balance, tables) to FILE")
    Path html;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (dest == null || dest.isBlank()) {
            throw new JobException("--dest is missing (or SPILLWAY_DEST): the destination the executions wrote to");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = Stores.open(dest)) {
            StatusReader reader = new StatusReader(store);
            List<Summary> executions = reader.executions();
            if (execution == null && executions.isEmpty()) {
                if (html != null) {
                    throw new JobException("no executions at " + store.uri() + ": nothing to draw in " + html);
                }
                if (json) {
                    out.println(text(view(store, executions, null)));
                } else {
                    out.printf("No executions at %s (none has stored a plan under %s)%n", store.uri(),
                            Layout.executions());
                }
                out.flush();
                return ExitCode.OK.code;
            }
            ExecutionStatus shown = reader.execution(execution != null ? execution : executions.get(0).execution());
            List<PublishIntent> unfinished = new Journal(store, Clock.systemUTC(), Journal.defaultLease()).unfinished();
            if (html != null) {
                writeHtml(store, shown.summary().execution(), out);
            } else if (json) {
                Map<String, Object> view = view(store, executions, shown);
                view.put("unfinishedPublishes", unfinished.stream().map(StatusCommand::unfinished).toList());
                out.println(text(view));
            } else {
                StatusReport.print(store.uri(), executions, shown, out);
                for (PublishIntent p : unfinished) {
                    out.printf("Unfinished publish of table %s by execution %s, begun %s: its folder may hold some"
                            + " new files beside the previous manifest; the next task or run that touches the table"
                            + " finishes it (another execution's after %s)%n", p.table(), p.execution(), p.createdAt(),
                            p.expiresAt());
                }
            }
            out.flush();
            return ExitCode.OK.code;
        }
    }

    private static Map<String, Object> unfinished(PublishIntent p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("table", p.table());
        view.put("execution", p.execution());
        view.put("begunAt", p.createdAt());
        view.put("leaseUntil", p.expiresAt());
        view.put("files", p.moves().size());
        return view;
    }

    private void writeHtml(Store store, String shown, PrintWriter out) throws IOException {
        String page = HtmlReport.render(store.uri(), ExecutionDetail.read(store, shown), Instant.now());
        try {
            Files.writeString(html, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JobException("cannot write the report to " + html + ": " + e.getMessage(), e);
        }
        out.printf("Wrote the report of execution %s to %s%n", shown, html);
    }

    private static Map<String, Object> view(Store store, List<Summary> executions, ExecutionStatus shown) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("destination", store.uri());
        view.put("executions", executions);
        view.put("execution", shown);
        return view;
    }

    private static String text(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
