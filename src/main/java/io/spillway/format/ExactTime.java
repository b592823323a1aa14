package io.spillway.format;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Dates, times and timestamps as {@link Exact} takes values: the canonical types of {@link Values},
 * {@code java.sql} ones, and ISO-8601 text; anything else is an {@link Exact.Misfit}.
 */
final class ExactTime {
    private ExactTime() {}

    /** A date column's value: days since 1970-01-01. */
    static int epochDay(Object v) {
        return Math.toIntExact(date(v).toEpochDay());
    }

    /** A time column's value: microseconds since midnight, in UTC when {@code utc} (a time with time zone). */
    static long timeMicros(Object v, boolean utc) {
        return time(v, utc).toNanoOfDay() / 1000;
    }

    /** A timestamp without time zone: microseconds from 1970-01-01T00:00 to its date and time. */
    static long localMicros(Object v) {
        return micros(localTimestamp(v).toInstant(ZoneOffset.UTC));
    }

    /** A timestamp with time zone: microseconds since the epoch. */
    static long utcMicros(Object v) {
        return micros(instant(v));
    }

    private static LocalDate date(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof String s) {
            try {
                return LocalDate.parse(s.trim());
            } catch (DateTimeParseException e) {
                throw new Exact.Misfit(v, "a date");
            }
        }
        throw new Exact.Misfit(v, "a date");
    }

    private static LocalTime time(Object v, boolean utc) {
        if (v instanceof LocalTime t) {
            return t;
        }
        if (v instanceof OffsetTime t) {
            return utc ? t.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime() : t.toLocalTime();
        }
        if (v instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        if (v instanceof String s) {
            try {
                String t = s.trim().replaceFirst("([+-]\\d\\d)$", "$1:00"); // PostgreSQL's timetz: 08:30:00+02
                return time(t.matches(".*([+-]\\d\\d:\\d\\d|Z)$") ? OffsetTime.parse(t) : LocalTime.parse(t), utc);
            } catch (DateTimeParseException e) {
                throw new Exact.Misfit(v, "a time of day");
            }
        }
        throw new Exact.Misfit(v, "a time of day");
    }

    /** A timestamp without zone; one with a zone is taken in UTC, as {@link Values} prints it. */
    private static LocalDateTime localTimestamp(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof String s) {
            Object parsed = timestamp(s);
            return parsed instanceof LocalDateTime t ? t : LocalDateTime.ofInstant(instant(parsed), ZoneOffset.UTC);
        }
        return LocalDateTime.ofInstant(instant(v), ZoneOffset.UTC);
    }

    /** An instant; a timestamp without zone in a column with one is taken as UTC. */
    private static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof ZonedDateTime t) {
            return t.toInstant();
        }
        if (v instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof String s) {
            return instant(timestamp(s));
        }
        throw new Exact.Misfit(v, "a timestamp");
    }

    /** ISO-8601 text, with a 'T' or a space: an OffsetDateTime with an offset or {@code Z}, else a LocalDateTime. */
    private static Object timestamp(String s) {
        String t = s.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t);
            } catch (DateTimeParseException again) {
                throw new Exact.Misfit(s, "a timestamp");
            }
        }
    }

    private static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }
}
