package io.spillway.status;

import io.spillway.config.Sizes;
import io.spillway.engine.TaskStatus;
import io.spillway.publish.UnitRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The timeline of an execution as inline SVG: a row per task, a pale bar per attempt (green when
 * it succeeded, red when it failed, amber while running or when it was killed without a word) and
 * inside it a bar per unit the attempt committed, coloured by table; a retry is marked with ↻ and
 * its attempt number. Every bar has a tooltip. Times are relative to the first attempt's start.
 */
final class TimelineSvg {
    private static final int LEFT = 70;
    private static final int WIDTH = 1000;
    private static final int ROW = 24;
    private static final int TOP = 22;
    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948",
        "#e15759", "#9c755f", "#ff9da7", "#bab0ac"};

    /** A unit's bar: when it started (or the best guess) and when it was committed. */
    record Span(UnitRecord unit, Instant start, Instant end, boolean startKnown) {
        double seconds() {
            return Duration.between(start, end).toMillis() / 1000.0;
        }
    }

    private final ExecutionDetail detail;
    private final Instant now;
    private final Instant t0;
    private final Instant t1;
    private final List<Span> spans;

    TimelineSvg(ExecutionDetail detail, Instant now) {
        this.detail = detail;
        this.now = now;
        this.spans = spans(detail);
        Instant first = detail.attempts().stream().map(TaskStatus::startedAt).filter(t -> t != null)
                .min(Comparator.naturalOrder()).orElse(detail.plan().createdAt());
        for (Span s : spans) {
            first = s.start().isBefore(first) ? s.start() : first;
        }
        Instant last = first.plusMillis(1);
        for (TaskStatus a : detail.attempts()) {
            last = max(last, end(a));
        }
        for (Span s : spans) {
            last = max(last, s.end());
        }
        this.t0 = first;
        this.t1 = last;
    }

    List<Span> spans() {
        return spans;
    }

    Duration wall() {
        return Duration.between(t0, t1);
    }

    /**
     * Units with their start: recorded, or else (records written before starts were) the commit
     * of the attempt's previous unit, or the attempt's start.
     */
    static List<Span> spans(ExecutionDetail detail) {
        Map<String, Instant> attemptStart = new HashMap<>();
        detail.attempts().forEach(a -> attemptStart.put(a.task() + "/" + a.attempt(), a.startedAt()));
        List<UnitRecord> units = new ArrayList<>(detail.units());
        units.sort(Comparator.comparing(UnitRecord::committedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        Map<String, Instant> previous = new HashMap<>();
        List<Span> spans = new ArrayList<>();
        for (UnitRecord u : units) {
            if (u.committedAt() == null) {
                continue;
            }
            String key = u.task() + "/" + u.attempt();
            Instant start = u.startedAt() != null ? u.startedAt()
                    : previous.getOrDefault(key, attemptStart.getOrDefault(key, u.committedAt()));
            if (start == null || start.isAfter(u.committedAt())) {
                start = u.committedAt();
            }
            spans.add(new Span(u, start, u.committedAt(), u.startedAt() != null));
            previous.put(key, u.committedAt());
        }
        return spans;
    }

    /** An attempt's end: its own, or the next attempt's start if it was killed without a word, or now. */
    private Instant end(TaskStatus a) {
        if (a.finishedAt() != null) {
            return a.finishedAt();
        }
        return detail.attempts().stream()
                .filter(b -> b.task() == a.task() && b.attempt() > a.attempt() && b.startedAt() != null)
                .map(TaskStatus::startedAt).min(Comparator.naturalOrder()).orElse(now);
    }

    String render() {
        int tasks = detail.plan().tasks();
        int height = TOP + tasks * ROW + 8;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"timeline\" viewBox=\"0 0 ").append(LEFT + WIDTH + 10).append(' ').append(height)
                .append("\" width=\"").append(LEFT + WIDTH + 10).append("\" role=\"img\" aria-label=\"timeline of ")
                .append(tasks).append(" tasks\">\n");
        axis(svg, height);
        List<String> tables = detail.plan().tables();
        for (int t = 0; t < tasks; t++) {
            int y = TOP + t * ROW;
            svg.append("<g class=\"task-row\" data-task=\"").append(t).append("\">")
                    .append("<rect class=\"lane\" x=\"0\" y=\"").append(y).append("\" width=\"").append(LEFT + WIDTH)
                    .append("\" height=\"").append(ROW).append("\"/>")
                    .append("<text class=\"label\" x=\"4\" y=\"").append(y + 16).append("\">task ").append(t)
                    .append("</text>\n");
            for (TaskStatus a : detail.attempts()) {
                if (a.task() == t && a.startedAt() != null) {
                    attempt(svg, a, y);
                }
            }
            for (Span s : spans) {
                if (s.unit().task() == t) {
                    int colour = Math.max(0, tables.indexOf(s.unit().table())) % PALETTE.length;
                    svg.append("<rect class=\"unit\" fill=\"").append(PALETTE[colour]).append("\" x=\"")
                            .append(x(s.start())).append("\" y=\"").append(y + 7).append("\" width=\"")
                            .append(width(s.start(), s.end())).append("\" height=\"").append(ROW - 14)
                            .append("\"><title>").append(Html.text(unitTitle(s))).append("</title></rect>");
                }
            }
            svg.append("</g>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private void attempt(StringBuilder svg, TaskStatus a, int y) {
        Instant end = end(a);
        String state = a.state() == TaskStatus.State.RUNNING ? "running" : a.state().name().toLowerCase(Locale.ROOT);
        String title = "task " + a.task() + ", attempt " + a.attempt() + ": " + a.state()
                + (a.finishedAt() == null ? " (no end recorded: still running, or killed)" : "")
                + String.format(Locale.ROOT, ", %.1f s", Duration.between(a.startedAt(), end).toMillis() / 1000.0)
                + ", " + a.unitsDone() + " units exported, " + a.unitsSkipped() + " skipped"
                + (a.error() == null ? "" : "\n" + a.error());
        svg.append("<rect class=\"attempt ").append(state).append("\" x=\"").append(x(a.startedAt()))
                .append("\" y=\"").append(y + 3).append("\" width=\"").append(width(a.startedAt(), end))
                .append("\" height=\"").append(ROW - 6).append("\" rx=\"3\"><title>").append(Html.text(title))
                .append("</title></rect>");
        if (a.attempt() > 0) {
            svg.append("<text class=\"retry\" x=\"").append(x(a.startedAt()) + 2).append("\" y=\"").append(y + 11)
                    .append("\">↻").append(a.attempt()).append("</text>");
        }
    }

    private void axis(StringBuilder svg, int height) {
        double seconds = Math.max(0.001, wall().toMillis() / 1000.0);
        double step = niceStep(seconds / 8);
        for (double s = 0; s <= seconds + 1e-9; s += step) {
            double x = LEFT + s / seconds * WIDTH;
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
                    + "<text class=\"tick\" x=\"%.1f\" y=\"14\">%s</text>%n", x, x, TOP - 4, height - 8, x,
                    label(s, step)));
        }
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (raw <= m * p) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String label(double s, double step) {
        if (step >= 60 && s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
        }
        return step >= 1 ? String.format(Locale.ROOT, "%.0fs", s) : String.format(Locale.ROOT, "%.1fs", s);
    }

    private String unitTitle(Span s) {
        UnitRecord u = s.unit();
        String id = u.parts() == 1 ? u.table() : u.table() + " (part " + (u.part() + 1) + " of " + u.parts() + ")";
        return id + "\ntask " + u.task() + ", attempt " + u.attempt() + String.format(Locale.ROOT, ", %.2f s%s",
                s.seconds(), s.startKnown() ? "" : " (start not recorded: from the previous unit)")
                + "\n" + (u.rows() < 0 ? "? rows" : u.rows() + " rows") + ", " + Sizes.format(u.bytes()) + " in "
                + u.files().size() + (u.files().size() == 1 ? " file" : " files");
    }

    private String x(Instant t) {
        double span = Math.max(1, Duration.between(t0, t1).toMillis());
        return String.format(Locale.ROOT, "%.1f", LEFT + Duration.between(t0, t).toMillis() / span * WIDTH);
    }

    private String width(Instant from, Instant to) {
        double span = Math.max(1, Duration.between(t0, t1).toMillis());
        return String.format(Locale.ROOT, "%.1f", Math.max(1.5, Duration.between(from, to).toMillis() / span * WIDTH));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
