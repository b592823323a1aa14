package io.spillway.format;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one text form of each value type, shared by every source and format:
 *
 * <ul>
 * <li>{@code String}: as it is; {@code Boolean}: {@code true}/{@code false}
 * <li>integers and {@code BigInteger}: decimal digits; {@code BigDecimal}: plain digits, never an exponent
 * <li>{@code Double}/{@code Float}: Java's shortest round-trip form, {@code NaN}, {@code Infinity}, {@code -Infinity}
 * <li>{@code LocalDate}: {@code 2024-01-31}; {@code LocalTime}: {@code 08:30:00.000000}
 * <li>{@code LocalDateTime} (timestamp without zone): {@code 2024-01-31T08:30:00.000000}
 * <li>{@code Instant}, {@code OffsetDateTime}, {@code ZonedDateTime} (with zone): in UTC, {@code 2024-01-31T08:30:00.000000Z}
 * <li>{@code byte[]}: base64, as BigQuery exports BYTES
 * <li>{@code Collection}: a JSON array of the elements' text forms
 * <li>anything else ({@code UUID}, intervals, JSON documents): its {@code toString()}
 * </ul>
 */
public final class Values {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private Values() {}

    /** The text form of {@code value}; null stays null. */
    public static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double d) {
            return d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : d.toString();
        }
        if (value instanceof Float f) {
            return f.isInfinite() ? (f > 0 ? "Infinity" : "-Infinity") : f.toString();
        }
        if (value instanceof LocalDateTime t) {
            return TIMESTAMP.format(t);
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof LocalTime t) {
            return TIME.format(t);
        }
        if (value instanceof Instant i) {
            return TIMESTAMP.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC)) + "Z";
        }
        if (value instanceof OffsetDateTime t) {
            return text(t.toInstant());
        }
        if (value instanceof ZonedDateTime t) {
            return text(t.toInstant());
        }
        if (value instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(Values::jsonElement).collect(Collectors.joining(",", "[", "]"));
        }
        return value.toString();
    }

    private static String jsonElement(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Collection<?>) {
            String t = text(value);
            return t.equals("NaN") || t.endsWith("Infinity") ? '"' + t + '"' : t;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : text(value).toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
