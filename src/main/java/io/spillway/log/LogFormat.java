package io.spillway.log;

import java.util.Locale;

/**
 * How log lines are written: readable text on stderr for a person at a terminal, or one JSON
 * object per line on stdout for an engine's log collector (Cloud Logging, CloudWatch, any
 * Kubernetes log agent). The choice is made once per process, before the command runs.
 */
public enum LogFormat {
    TEXT, JSON;

    private static volatile LogFormat current = TEXT;

    public static LogFormat current() {
        return current;
    }

    public static void use(LogFormat format) {
        current = format;
    }

    /**
     * The format an option asks for: {@code text}, {@code json}, or {@code auto} (JSON when the
     * process runs under an engine, else text).
     *
     * @throws IllegalArgumentException for any other value, with a message that says what to write
     */
    public static LogFormat choose(String option, boolean underEngine) {
        return switch (option == null ? "auto" : option.trim().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> underEngine ? JSON : TEXT;
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("unknown log format '" + option + "': use auto, text or json");
        };
    }
}
