package io.spillway.format;

import io.spillway.spi.JobException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hive-style partition folders, {@code <column>=<value>}, as Hive, Spark and DuckDB's
 * {@code hive_partitioning} read them. Column and value are escaped as Hive escapes path names:
 * control characters, {@code " # % ' * / : = ? \ [ ] ^ { }} and DEL become {@code %XX}, and so do
 * {@code < > |}, which Windows refuses; everything else (letters of any script, '.', ' ') stays, so
 * a folder never holds a '/' and no value leaves its table's folder ({@code ..} becomes the
 * harmless {@code col=..}). NULL is {@link #NULL}; the empty string is {@code col=}, which DuckDB
 * reads back as ''; a string equal to {@link #NULL} has its first '_' escaped to stay apart from NULL.
 */
public final class HivePath {
    public static final String NULL = "__HIVE_DEFAULT_PARTITION__";
    /** The longest folder name, in UTF-8 bytes: well under the 255 of common file systems. */
    static final int MAX_FOLDER = 200;
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");

    private HivePath() {}

    /** The folder of {@code value} of {@code column}; null is {@link #NULL}. */
    public static String folder(String column, String value) {
        String v = value == null ? NULL : value.equals(NULL) ? "%5F" + escape(value.substring(1)) : escape(value);
        String folder = escape(column) + "=" + v;
        if (folder.getBytes(StandardCharsets.UTF_8).length > MAX_FOLDER) {
            throw new JobException("--partition-by: a value of column " + column + " makes a folder name of over "
                    + MAX_FOLDER + " bytes (" + folder.substring(0, 40) + "...): partition by a column of short values");
        }
        return folder;
    }

    /** The column a folder names, unescaped. */
    public static String column(String folder) {
        return unescape(folder.substring(0, folder.indexOf('=')));
    }

    /** The value a folder names, unescaped; null for {@link #NULL}. */
    public static String value(String folder) {
        String v = folder.substring(folder.indexOf('=') + 1);
        return v.equals(NULL) ? null : unescape(v);
    }

    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || "\"#%'*/:=?\\[]^{}<>|".indexOf(c) >= 0) {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    static String unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int hi = i + 2 < bytes.length && bytes[i] == '%' ? Character.digit(bytes[i + 1], 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(bytes[i + 2], 16);
            if (lo >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The folder value of {@code value} cut to {@code granularity} (null: the value itself, in the text
     * form of {@link Values}): {@code 2024}, {@code 2024-05} or {@code 2024-05-17}. Timestamps with a
     * zone are cut in UTC; a string is cut if it starts with an ISO date (SQLite keeps dates as text).
     */
    public static String text(Object value, ChronoUnit granularity) {
        if (value == null || granularity == null) {
            return Values.text(value);
        }
        LocalDate date;
        if (value instanceof LocalDate d) {
            date = d;
        } else if (value instanceof LocalDateTime t) {
            date = t.toLocalDate();
        } else if (value instanceof OffsetDateTime t) {
            date = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        } else if (value instanceof ZonedDateTime t) {
            date = t.withZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } else if (value instanceof Instant i) {
            date = LocalDate.ofInstant(i, ZoneOffset.UTC);
        } else if (value instanceof String s && ISO_DATE.matcher(s).matches()) {
            date = LocalDate.parse(s.substring(0, 10));
        } else {
            throw new JobException("--partition-by with a granularity needs a date or timestamp, not "
                    + value.getClass().getSimpleName() + " '" + Values.text(value) + "'");
        }
        String iso = date.toString();
        return switch (granularity) {
            case YEARS -> iso.substring(0, 4);
            case MONTHS -> iso.substring(0, 7);
            case DAYS -> iso;
            default -> throw new IllegalArgumentException("granularity " + granularity);
        };
    }

    /** The name of a granularity as {@code --partition-by} spells it and folders end in: year, month, day. */
    public static String name(ChronoUnit granularity) {
        return switch (granularity) {
            case YEARS -> "year";
            case MONTHS -> "month";
            case DAYS -> "day";
            default -> throw new IllegalArgumentException("granularity " + granularity);
        };
    }
}
