package io.spillway.status;

import io.spillway.config.Sizes;
import io.spillway.engine.TaskStatus;
import io.spillway.plan.Plan;
import io.spillway.publish.UnitRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One execution as a self-contained HTML page: no server, no external assets (inline CSS, SVG and
 * a few lines of script). It shows the timeline of tasks and units, each task's attempts, the
 * plan's expected balance against the real one, bytes and rows per table and the slowest units.
 * Every name is escaped, so a table named {@code <script>} is text. The script only adds
 * highlighting and writes {@code data-ready="yes"} on the body once it ran; an error in it shows
 * at the top of the page.
 */
public final class HtmlReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int SLOWEST = 10;

    private HtmlReport() {}

    public static String render(String destination, ExecutionDetail detail, Instant now) {
        ExecutionStatus.Summary s = detail.status().summary();
        TimelineSvg timeline = new TimelineSvg(detail, now);
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Spillway execution ")
                .append(Html.text(s.execution())).append("</title>\n<style>").append(CSS).append("</style>\n")
                .append("<script>window.addEventListener('error', function (e) { var p = document.getElementById('errors');"
                        + " p.hidden = false; p.textContent += 'script error: ' + e.message + '\\n'; });</script>\n")
                .append("</head><body>\n<p id=\"errors\" hidden></p>\n");
        long rows = detail.status().tables().stream().mapToLong(t -> Math.max(0, t.rows())).sum();
        long bytes = detail.status().tables().stream().mapToLong(ExecutionStatus.Table::bytes).sum();
        long retries = detail.attempts().stream().filter(a -> a.attempt() > 0).count();
        h.append("<h1>Execution <code>").append(Html.text(s.execution())).append("</code> <span class=\"state ")
                .append(s.state().name().toLowerCase(Locale.ROOT)).append("\">").append(s.state()).append("</span></h1>\n")
                .append("<p class=\"summary\">").append(Html.text(destination)).append(" · planned ")
                .append(time(s.plannedAt())).append(" · ").append(seconds(timeline.wall().toMillis() / 1000.0))
                .append(" from the first start to the last end · ").append(s.tasksSucceeded()).append('/')
                .append(s.tasks()).append(" tasks succeeded · ").append(s.unitsCommitted()).append('/').append(s.units())
                .append(" units · ").append(s.tablesPublished()).append('/').append(s.tables())
                .append(" tables published · ").append(rows).append(" rows · ").append(Sizes.format(bytes))
                .append(" · ").append(retries).append(retries == 1 ? " retry" : " retries").append("</p>\n");
        h.append("<h2>Timeline</h2>\n<p class=\"note\">A row per task; a pale bar per attempt (green succeeded, red"
                + " failed, amber running or killed without a word), ↻ marks a retry; inside it a bar per unit"
                + " committed, coloured by table. Hover for details.</p>\n<div class=\"scroll\">")
                .append(timeline.render()).append("</div>\n");
        tasks(h, detail);
        balance(h, detail);
        tables(h, detail);
        slowest(h, timeline.spans());
        h.append("<p id=\"rendered\" class=\"note\"></p>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void tasks(StringBuilder h, ExecutionDetail detail) {
        h.append("<h2>Tasks</h2>\n<table><thead><tr><th>task</th><th>state</th><th>attempts</th><th>units</th>"
                + "<th>rows</th><th>bytes</th><th>planned</th><th>busy</th><th>last error</th></tr></thead><tbody>\n");
        for (ExecutionStatus.Task t : detail.status().tasks()) {
            List<TaskStatus> attempts = detail.attempts().stream().filter(a -> a.task() == t.task()).toList();
            StringBuilder tries = new StringBuilder();
            for (TaskStatus a : attempts) {
                tries.append("<span class=\"try ").append(a.state().name().toLowerCase(Locale.ROOT)).append("\" title=\"")
                        .append(Html.text("started " + time(a.startedAt()) + (a.error() == null ? "" : ": " + a.error())))
                        .append("\">#").append(a.attempt()).append(' ').append(a.state()).append(' ')
                        .append(a.finishedAt() == null ? "" : seconds(a.seconds())).append("</span> ");
            }
            double busy = attempts.stream().filter(a -> a.finishedAt() != null).mapToDouble(TaskStatus::seconds).sum();
            h.append("<tr class=\"task\" data-task=\"").append(t.task()).append("\"><td>").append(t.task())
                    .append("</td><td class=\"state ").append(t.state().toLowerCase(Locale.ROOT)).append("\">")
                    .append(t.state()).append("</td><td>").append(tries.isEmpty() ? "none recorded" : tries)
                    .append("</td><td>").append(t.unitsCommitted()).append('/').append(t.units()).append("</td><td>")
                    .append(t.rows()).append("</td><td>").append(Sizes.format(t.bytes())).append("</td><td>")
                    .append(Sizes.format(detail.plan().load(t.task()))).append("</td><td>").append(seconds(busy))
                    .append("</td><td class=\"error\">").append(Html.text(t.error())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    /** Each task's share of the plan's weight against its share of the bytes written and of the time taken. */
    private static void balance(StringBuilder h, ExecutionDetail detail) {
        Plan plan = detail.plan();
        int n = plan.tasks();
        long[] bytes = new long[n];
        for (UnitRecord u : detail.units()) {
            if (u.task() >= 0 && u.task() < n) {
                bytes[u.task()] += u.bytes();
            }
        }
        double[] busy = new double[n];
        for (TaskStatus a : detail.attempts()) {
            if (a.task() < n && a.finishedAt() != null) {
                busy[a.task()] += a.seconds();
            }
        }
        long weight = Math.max(1, plan.totalWeight());
        long written = Math.max(1, Arrays.stream(bytes).sum());
        double time = Math.max(1e-9, Arrays.stream(busy).sum());
        double scale = 0;
        for (int t = 0; t < n; t++) {
            scale = Math.max(scale, Math.max((double) plan.load(t) / weight, Math.max((double) bytes[t] / written,
                    busy[t] / time)));
        }
        h.append("<h2>Balance</h2>\n<p class=\"note\">Each task's share of the plan's estimated weight against its"
                + " share of the bytes it wrote and of the time its attempts took. The largest task over the mean:"
                + " plan ").append(ratio(plan.imbalance())).append(", bytes ").append(ratio(imbalance(bytes)))
                .append(", time ").append(ratio(imbalance(busy))).append(" (1.00 is a perfect balance).</p>\n")
                .append("<table class=\"balance\"><thead><tr><th>task</th><th>planned</th><th>bytes</th><th>time</th>"
                        + "</tr></thead><tbody>\n");
        for (int t = 0; t < n; t++) {
            h.append("<tr data-task=\"").append(t).append("\"><td>").append(t).append("</td>")
                    .append(bar("plan", (double) plan.load(t) / weight, scale, Sizes.format(plan.load(t))))
                    .append(bar("bytes", (double) bytes[t] / written, scale, Sizes.format(bytes[t])))
                    .append(bar("time", busy[t] / time, scale, seconds(busy[t]))).append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void tables(StringBuilder h, ExecutionDetail detail) {
        List<ExecutionStatus.Table> tables = detail.status().tables().stream()
                .sorted(Comparator.comparingLong(ExecutionStatus.Table::bytes).reversed()).toList();
        long max = Math.max(1, tables.stream().mapToLong(ExecutionStatus.Table::bytes).max().orElse(1));
        long total = Math.max(1, tables.stream().mapToLong(ExecutionStatus.Table::bytes).sum());
        h.append("<h2>Tables</h2>\n<table><thead><tr><th>table</th><th>published</th><th>units</th><th>files</th>"
                + "<th>rows</th><th>bytes</th></tr></thead><tbody>\n");
        for (ExecutionStatus.Table t : tables) {
            h.append("<tr><td class=\"name\">").append(Html.text(t.table())).append("</td><td>")
                    .append(t.published() ? "yes" : "no").append("</td><td>").append(t.unitsCommitted()).append('/')
                    .append(t.units()).append("</td><td>").append(t.files()).append("</td><td>")
                    .append(t.rows() < 0 ? "?" : Long.toString(t.rows())).append("</td>")
                    .append(bar("bytes", (double) t.bytes() / total, (double) max / total, Sizes.format(t.bytes()))).append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void slowest(StringBuilder h, List<TimelineSvg.Span> spans) {
        h.append("<h2>Slowest units</h2>\n<table><thead><tr><th>unit</th><th>task</th><th>attempt</th><th>time</th>"
                + "<th>rows</th><th>bytes</th><th>MB/s</th></tr></thead><tbody>\n");
        spans.stream().sorted(Comparator.comparingDouble(TimelineSvg.Span::seconds).reversed()).limit(SLOWEST)
                .forEach(s -> {
                    UnitRecord u = s.unit();
                    h.append("<tr data-task=\"").append(u.task()).append("\"><td class=\"name\">")
                            .append(Html.text(u.parts() == 1 ? u.table()
                                    : u.table() + " (part " + (u.part() + 1) + " of " + u.parts() + ")"))
                            .append("</td><td>").append(u.task()).append("</td><td>").append(u.attempt())
                            .append("</td><td>").append(seconds(s.seconds())).append(s.startKnown() ? "" : "*")
                            .append("</td><td>").append(u.rows() < 0 ? "?" : Long.toString(u.rows())).append("</td><td>")
                            .append(Sizes.format(u.bytes())).append("</td><td>")
                            .append(s.seconds() <= 0 ? "" : String.format(Locale.ROOT, "%.1f", u.bytes() / 1e6 / s.seconds()))
                            .append("</td></tr>\n");
                });
        h.append("</tbody></table>\n<p class=\"note\">* start not recorded (a record from before Spillway kept it):"
                + " measured from the end of the task's previous unit.</p>\n");
    }

    /** A cell with the value and its share, and a bar whose length is the share over {@code scale} (the largest shown). */
    private static String bar(String kind, double share, double scale, String label) {
        double pct = Math.max(0, Math.min(1, share)) * 100;
        double px = scale <= 0 ? 0 : Math.max(0, Math.min(1, share / scale)) * 160;
        return String.format(Locale.ROOT, "<td class=\"bar\"><span class=\"value\">%s · %.1f%%</span>"
                + "<span class=\"fill %s\" style=\"width:%.0fpx\"></span></td>", Html.text(label), pct, kind, px);
    }

    static double imbalance(long[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return imbalance(d);
    }

    static double imbalance(double[] values) {
        double sum = Arrays.stream(values).sum();
        double max = Arrays.stream(values).max().orElse(0);
        return sum <= 0 ? 1.0 : max * values.length / sum;
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    private static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    private static String seconds(double s) {
        return s < 60 ? String.format(Locale.ROOT, "%.1f s", s)
                : String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;margin:24px;max-width:1120px}
            h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:26px 0 6px;border-bottom:1px solid #dde2ea;padding-bottom:3px}
            code{font-size:0.95em}.summary{color:#465066;margin:0}.note{color:#6b7488;font-size:12px;margin:2px 0 8px}
            .state{font-weight:600}.state.succeeded{color:#2e7d46}.state.failed{color:#c0392b}.state.running,.state.incomplete,.state.pending{color:#b07800}
            #errors{background:#fbe3e1;color:#8a1c12;padding:6px 10px;white-space:pre-wrap}
            .scroll{overflow-x:auto}svg.timeline{font-size:11px;display:block}
            .lane{fill:transparent}.task-row:nth-child(odd) .lane{fill:#f6f7fa}.task-row.hl .lane{fill:#e6eefc}
            .label{fill:#465066}.tick{fill:#6b7488;text-anchor:middle}.grid{stroke:#e3e6ec}
            .attempt{stroke-width:1}.attempt.succeeded{fill:#e3f1e6;stroke:#6fb585}.attempt.failed{fill:#fbe3e1;stroke:#d9534f}
            .attempt.running{fill:#fff4d6;stroke:#d4a017}.unit{stroke:#fff;stroke-width:0.5}.unit:hover{stroke:#000;stroke-width:1}
            .retry{fill:#c0392b;font-weight:700;font-size:10px}
            table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eef0f4;vertical-align:top}
            th{color:#465066;font-weight:600}tr.hl td,tr[data-task]:hover td{background:#eef3fd}td.name{word-break:break-all}
            td.error{color:#8a1c12;max-width:340px;word-break:break-word}.try{white-space:nowrap;font-size:12px}
            .try.failed{color:#c0392b}.try.succeeded{color:#2e7d46}.try.running{color:#b07800}
            td.bar{white-space:nowrap}.value{display:inline-block;min-width:120px}.fill{display:inline-block;height:10px;border-radius:2px;vertical-align:middle}
            .fill.plan{background:#8da6d8}.fill.bytes{background:#6fb585}.fill.time{background:#eaa75a}
            """;

    private static final String SCRIPT = """
            (function () {
              function mark(task, on) {
                document.querySelectorAll('[data-task="' + task + '"]').forEach(function (el) { el.classList.toggle('hl', on); });
              }
              document.querySelectorAll('[data-task]').forEach(function (el) {
                el.addEventListener('mouseenter', function () { mark(el.getAttribute('data-task'), true); });
                el.addEventListener('mouseleave', function () { mark(el.getAttribute('data-task'), false); });
              });
              var rows = document.querySelectorAll('svg.timeline g.task-row').length;
              document.getElementById('rendered').textContent = 'Timeline of ' + rows + ' tasks drawn; written by spillway status --html.';
              document.body.setAttribute('data-ready', 'yes');
            })();
            """;
}
