package io.spillway.source.jdbc;

import io.spillway.config.JobConfig;
import io.spillway.engine.TaskContext;
import io.spillway.engine.Tasks;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Test helpers: run a whole execution in this JVM, task after task, and read a published table back. */
public final class Exports {
    private Exports() {}

    public static JobConfig config(String source, Path dest, int tasks, long splitSize, long maxFileSize,
            List<String> includes) {
        return new JobConfig(source, dest.toString(), Format.CSV, Compression.NONE, maxFileSize, splitSize, includes,
                List.of(), JobConfig.Versioning.REPLACE, tasks, 1, 0, Duration.ofHours(1)).validate();
    }

    /** Runs every task of a new execution in turn; returns the execution id. */
    public static String run(JobConfig config) throws Exception {
        String execution = "test-" + UUID.randomUUID();
        for (int t = 0; t < config.tasks(); t++) {
            Tasks.run(config, new TaskContext(t, config.tasks(), 0, execution, "test"));
        }
        return execution;
    }

    public static Manifest manifest(Path dest, String table) throws Exception {
        return Json.read(Files.readAllBytes(dest.resolve(Layout.manifest(table))), Manifest.class, "manifest");
    }

    /**
     * The header and every row of a published table, in file order. Checks that each file starts
     * with the same header. An unquoted empty field reads as null, a quoted one as "".
     */
    public static List<List<String>> read(Path dest, String table) throws Exception {
        Manifest m = manifest(dest, table);
        List<List<String>> out = new ArrayList<>();
        for (Manifest.File f : m.files()) {
            List<List<String>> records = parse(Files.readAllBytes(dest.resolve(Layout.tableDir(table) + f.name())));
            if (out.isEmpty()) {
                out.add(records.get(0));
            } else if (!out.get(0).equals(records.get(0))) {
                throw new AssertionError("file " + f.name() + " has header " + records.get(0) + ", not " + out.get(0));
            }
            out.addAll(records.subList(1, records.size()));
            if (records.size() - 1 != f.rows()) {
                throw new AssertionError("file " + f.name() + " has " + (records.size() - 1) + " rows, manifest says " + f.rows());
            }
        }
        return out;
    }

    /** RFC 4180 records with LF or CRLF ends; an unquoted empty field is null. */
    public static List<List<String>> parse(byte[] csv) {
        String s = new String(csv, StandardCharsets.UTF_8);
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',' || c == '\n') {
                record.add(field.length() == 0 && !wasQuoted ? null : field.toString());
                field.setLength(0);
                wasQuoted = false;
                if (c == '\n') {
                    records.add(record);
                    record = new ArrayList<>();
                }
            } else if (c != '\r' || i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
                field.append(c);
            }
            i++;
        }
        if (field.length() > 0 || wasQuoted || !record.isEmpty()) {
            record.add(field.length() == 0 && !wasQuoted ? null : field.toString());
            records.add(record);
        }
        return records;
    }

    /** Records as CSV again, nulls as empty unquoted fields: what COPY FROM and the loaders read. */
    public static byte[] csv(List<List<String>> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<String> r : records) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                String v = r.get(i);
                if (v != null) {
                    sb.append('"').append(v.replace("\"", "\"\"")).append('"');
                }
            }
            out.writeBytes(sb.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    public static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
