package io.spillway.config;

import io.spillway.spi.JobException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d} or ISO 8601 {@code PT10M}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            Matcher m = PART.matcher(t);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                end = m.end();
            }
            if (end == 0 || end != t.length()) {
                throw new DateTimeParseException("", t, end);
            }
            return total;
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new JobException("'" + text + "' is not a duration: write it like 90s, 10m, 1h30m or PT10M");
        }
    }
}
