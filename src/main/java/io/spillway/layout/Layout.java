package io.spillway.layout;

import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every path Spillway writes at a destination. Table names become path segments only through
 * {@link #segment}, so no table name can leave the destination or reach the state folder.
 *
 * <pre>
 * &lt;table&gt;/&lt;table&gt;_000000000000.csv[.gz]      data shards
 * &lt;table&gt;/_MANIFEST.json                     written last
 * &lt;table&gt;/run=&lt;execution&gt;/...               data shards of one run, with --layout versioned
 * _spillway/executions/&lt;execution&gt;/...        plan (and its slices), unit records, task status
 * _spillway/staging/&lt;execution&gt;/...           files before they are published
 * </pre>
 */
public final class Layout {
    public static final String STATE = "_spillway";
    public static final String MANIFEST = "_MANIFEST.json";
    public static final String RUN = "run=";
    private static final Pattern EXECUTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final int MAX_SEGMENT = 200;

    private Layout() {}

    /**
     * The table name as one safe path segment: letters, digits, '_', '-' and '.' stay; every other
     * byte of its UTF-8 form becomes %XX. Names that are only dots, or that start with '_spillway'
     * or '.', have their first character encoded too. Names whose segment would be over 200
     * characters are cut and end in '~' and 16 hex digits of the SHA-256 of the whole name. Distinct
     * names give distinct segments (up to a SHA-256 collision, which the planner would refuse).
     */
    public static String segment(String table) {
        if (table.isEmpty()) {
            throw new JobException("a table with an empty name cannot be exported");
        }
        StringBuilder sb = new StringBuilder();
        byte[] bytes = table.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || (b == '_' && !(i == 0 && table.toLowerCase(Locale.ROOT).startsWith(STATE)))
                    || (b == '.' && i > 0);
            if (plain) {
                sb.append((char) b);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
        }
        if (sb.length() > MAX_SEGMENT) {
            // '~' is always encoded above, so a cut name cannot equal an uncut one; the hash of the whole
            // name keeps cut names apart (String.hashCode has easy collisions: "Aa" and "BB")
            String hash = HexFormat.of().formatHex(sha256(table), 0, 8);
            sb.setLength(MAX_SEGMENT - hash.length() - 1);
            if (sb.charAt(sb.length() - 1) == '%' || sb.charAt(sb.length() - 2) == '%') {
                sb.setLength(sb.lastIndexOf("%")); // no half %XX before the hash
            }
            sb.append('~').append(hash);
        }
        return sb.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String checkExecution(String execution) {
        if (execution == null || !EXECUTION.matcher(execution).matches()) {
            throw new JobException("execution id '" + execution
                    + "' is not valid: use up to 128 letters, digits, '_', '-' or '.', starting with a letter or digit");
        }
        return execution;
    }

    public static String shardName(String table, int index, Format format, Compression compression) {
        return segment(table) + "_" + String.format(Locale.ROOT, "%012d", index)
                + format.suffix(compression);
    }

    /** Matches the shard files of a table, whatever their format: the files a publish may replace. */
    public static Pattern shardPattern(String table) {
        return Pattern.compile(Pattern.quote(segment(table)) + "_\\d{12}\\.[a-z]+(\\.[a-z]+)?");
    }

    public static String tableDir(String table) {
        return segment(table) + "/";
    }

    public static String manifest(String table) {
        return tableDir(table) + MANIFEST;
    }

    /** The prefix of a table's run folders in the versioned layout. */
    public static String runs(String table) {
        return tableDir(table) + RUN;
    }

    /** Where one execution's files of a table go in the versioned layout, relative to the destination. */
    public static String run(String table, String execution) {
        return runs(table) + checkExecution(execution) + "/";
    }

    public static String executions() {
        return STATE + "/executions/";
    }

    public static String execution(String execution) {
        return executions() + checkExecution(execution) + "/";
    }

    public static String plan(String execution) {
        return execution(execution) + "plan.json";
    }

    /**
     * The slice of an execution's plan that the tasks from {@code firstTask} on read instead of the whole
     * plan (see {@code plan.Plans}); the count of tasks a slice covers depends only on the task count.
     */
    public static String planSlice(String execution, int firstTask) {
        return execution(execution) + "plan/tasks-" + String.format(Locale.ROOT, "%06d", firstTask) + ".json";
    }

    public static String unitRecord(String execution, String table, int part) {
        return execution(execution) + "units/" + segment(table) + "/" + part + ".json";
    }

    public static String published(String execution, String table) {
        return execution(execution) + "published/" + segment(table) + ".json";
    }

    public static String taskStatus(String execution, int task) {
        return execution(execution) + "tasks/" + task + ".json";
    }

    /** Where an earlier attempt's last status is kept once a retry replaces it at {@link #taskStatus}. */
    public static String taskAttempt(String execution, int task, int attempt) {
        return taskAttempts(execution) + task + "/" + attempt + ".json";
    }

    public static String taskAttempts(String execution) {
        return execution(execution) + "attempts/";
    }

    public static String staging(String execution) {
        return STATE + "/staging/" + checkExecution(execution) + "/";
    }

    public static String stagingTable(String execution, String table) {
        return staging(execution) + segment(table) + "/";
    }

    /** Where one attempt of one unit writes; the token keeps duplicate copies of a task apart. */
    public static String stagingUnit(String execution, String table, int part, String token) {
        return stagingTable(execution, table) + part + "/" + token + "/";
    }
}
