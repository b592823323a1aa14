package io.spillway.status;

import io.spillway.config.Sizes;
import io.spillway.status.ExecutionStatus.Summary;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Prints executions, tasks and tables as aligned text tables, times in UTC. */
public final class StatusReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_ERROR = 120;

    private StatusReport() {}

    public static void print(String destination, List<Summary> executions, ExecutionStatus shown, PrintWriter out) {
        out.printf("Executions at %s, newest first:%n", destination);
        TextTable list = new TextTable("", "EXECUTION", "PLANNED", "STATE", ">TASKS OK", ">UNITS", ">TABLES PUBLISHED");
        for (Summary s : executions) {
            list.row(s.execution().equals(shown.summary().execution()) ? "*" : "", s.execution(), time(s.plannedAt()),
                    s.state(), s.tasksSucceeded() + "/" + s.tasks(), s.unitsCommitted() + "/" + s.units(),
                    s.tablesPublished() + "/" + s.tables());
        }
        list.print(out, "  ");
        Summary s = shown.summary();
        out.printf("%nExecution %s: %s; %d of %d tasks succeeded, %d of %d units committed, %d of %d tables published%n",
                s.execution(), s.state(), s.tasksSucceeded(), s.tasks(), s.unitsCommitted(), s.units(),
                s.tablesPublished(), s.tables());
        TextTable tasks = new TextTable(">TASK", "STATE", ">ATTEMPT", ">UNITS", ">ROWS", ">BYTES", "STARTED",
                ">DURATION", "LAST ERROR");
        for (ExecutionStatus.Task t : shown.tasks()) {
            tasks.row(t.task(), t.state(), t.attempt(), t.unitsCommitted() + "/" + t.units(), t.rows(),
                    Sizes.format(t.bytes()), time(t.startedAt()), seconds(t.seconds()), error(t.error()));
        }
        out.println();
        tasks.print(out, "  ");
        TextTable tables = new TextTable("TABLE", "PUBLISHED", ">UNITS", ">ROWS", ">FILES", ">BYTES");
        for (ExecutionStatus.Table t : shown.tables()) {
            tables.row(t.table(), t.published() ? "yes" : "no", t.unitsCommitted() + "/" + t.units(), t.rows(),
                    t.files(), Sizes.format(t.bytes()));
        }
        out.println();
        tables.print(out, "  ");
        if (!shown.skipped().isEmpty()) {
            out.printf("%nSkipped %d tables, left as their last export published them:%n", shown.skipped().size());
            TextTable skipped = new TextTable("TABLE", "WHY", "MARKER", "MARK");
            for (ExecutionStatus.Skipped t : shown.skipped()) {
                skipped.row(t.table(), t.why(), t.marker(), t.mark());
            }
            skipped.print(out, "  ");
        }
        out.flush();
    }

    private static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }

    private static String seconds(Double s) {
        if (s == null) {
            return null;
        }
        long whole = (long) Math.floor(s);
        return whole < 60 ? String.format(Locale.ROOT, "%.1fs", s)
                : whole < 3600 ? String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60)
                : String.format(Locale.ROOT, "%dh%02dm%02ds", whole / 3600, whole % 3600 / 60, whole % 60);
    }

    private static String error(String e) {
        if (e == null) {
            return null;
        }
        String line = e.replace('\n', ' ');
        return line.length() <= MAX_ERROR ? line : line.substring(0, MAX_ERROR - 3) + "...";
    }
}
