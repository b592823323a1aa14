package io.spillway.plan;

import io.spillway.spi.JobException;
import io.spillway.spi.TableInfo;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Selects tables by --include and --exclude globs ('*', '?', '[abc]'), matched against the whole name. */
public record TableFilter(List<String> includes, List<String> excludes) {
    public TableFilter {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
    }

    public List<TableInfo> apply(List<TableInfo> tables, String sourceUri) {
        for (String glob : includes) {
            Pattern p = regex(glob);
            if (tables.stream().noneMatch(t -> p.matcher(t.name()).matches())) {
                throw new JobException("--include '" + glob + "' matches no table in " + sourceUri
                        + " (tables: " + sample(tables) + ")");
            }
        }
        List<Pattern> in = includes.stream().map(TableFilter::regex).toList();
        List<Pattern> out = excludes.stream().map(TableFilter::regex).toList();
        List<TableInfo> included = tables.stream()
                .filter(t -> in.isEmpty() || in.stream().anyMatch(p -> p.matcher(t.name()).matches()))
                .toList();
        List<TableInfo> kept = included.stream()
                .filter(t -> out.stream().noneMatch(p -> p.matcher(t.name()).matches()))
                .toList();
        if (kept.isEmpty() && !included.isEmpty()) {
            throw new JobException("--exclude '" + String.join(",", excludes) + "' leaves no table of " + sourceUri
                    + " to export (" + (includes.isEmpty() ? "tables: " : "included: ") + sample(included) + ")");
        }
        return kept;
    }

    private static String sample(List<TableInfo> tables) {
        if (tables.isEmpty()) {
            return "none";
        }
        String names = tables.stream().limit(10).map(TableInfo::name).collect(Collectors.joining(", "));
        return tables.size() > 10 ? names + ", ... " + tables.size() + " in all" : names;
    }

    public static Pattern regex(String glob) {
        StringBuilder sb = new StringBuilder();
        boolean inClass = false;
        for (char c : glob.toCharArray()) {
            if (inClass) {
                sb.append(c == ']' ? "]" : c == '\\' ? "\\\\" : String.valueOf(c));
                inClass = c != ']';
            } else if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                sb.append('[');
                inClass = true;
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inClass) {
            throw new JobException("glob '" + glob + "' has an unclosed '['");
        }
        return Pattern.compile(sb.toString());
    }
}
