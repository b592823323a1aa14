import io.spillway.cli.Main;
import io.spillway.format.Compression;
import io.spillway.format.Format;
import io.spillway.format.RowWriter;
import io.spillway.format.ShardWriter;
import io.spillway.source.Column;
import io.spillway.store.local.LocalStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The formats benchmark (run by bench/formats.sh): one DuckDB table of ROWS rows exported by
 * Spillway in each format, DuckDB's own COPY to Parquet of the same table, and the row writers
 * that server sources use, fed rows of the same shape.
 */
public class FormatsBench {
    record Result(String what, double seconds, long rows, long bytes, int files) {}

    static final List<Result> results = new ArrayList<>();
    static String load;

    public static void main(String[] args) throws Exception {
        if (args.length > 2) { // bench/formats.sh ROWS rows: only the row writers, e.g. for a profiler
            long n = Long.parseLong(args[1]);
            for (Format f : Format.values()) {
                rowWriter(Path.of(args[0]), f, Compression.defaultFor(f), n);
            }
            return;
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        long rows = Long.parseLong(args[1]);
        Path db = work.resolve("bench.duckdb");
        make(db, rows);
        String source = "duckdb:" + db;
        load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];

        spillway("csv", work, source, "--format", "csv");
        spillway("csv + zstd", work, source, "--format", "csv", "--compression", "zstd");
        spillway("csv + gzip", work, source, "--format", "csv", "--compression", "gzip");
        spillway("jsonl", work, source, "--format", "jsonl");
        spillway("jsonl + zstd", work, source, "--format", "jsonl", "--compression", "zstd");
        spillway("parquet (snappy)", work, source, "--format", "parquet");
        spillway("parquet + zstd", work, source, "--format", "parquet", "--compression", "zstd");
        duckdbCopy(db, work, rows);
        rowWriter(work, Format.PARQUET, Compression.SNAPPY, rows);
        rowWriter(work, Format.JSONL, Compression.NONE, rows);
        rowWriter(work, Format.CSV, Compression.NONE, rows);

        System.out.printf(Locale.ROOT, "%n%,d rows, %d cores, load average %s before and %s after; Spillway runs timed"
                + " whole (plan, task process start, export, publish)%n%n", rows, Runtime.getRuntime().availableProcessors(),
                load, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        System.out.println("| export | seconds | rows/s | MB/s written | output | files |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %,.0f | %.1f | %,.1f MB | %d |%n", r.what(), r.seconds(),
                    r.rows() / r.seconds(), r.bytes() / 1e6 / r.seconds(), r.bytes() / 1e6, r.files());
        }
        Result spillway = find("parquet (snappy)");
        Result duckdb = find("DuckDB COPY (FORMAT parquet)");
        System.out.printf(Locale.ROOT, "%nSpillway parquet / DuckDB COPY parquet: %.2f x the time, %.2f x the bytes%n",
                spillway.seconds() / duckdb.seconds(), (double) spillway.bytes() / duckdb.bytes());
    }

    static Result find(String what) {
        return results.stream().filter(r -> r.what().equals(what)).findFirst().orElseThrow();
    }

    static void make(Path db, long rows) throws Exception {
        if (Files.exists(db)) {
            return;
        }
        long t0 = System.nanoTime();
        Path partial = db.resolveSibling("partial.duckdb");
        Files.deleteIfExists(partial);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + partial); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE events AS
                    SELECT i AS id,
                           'name_' || i AS name,
                           (18 + i % 60)::INTEGER AS age,
                           CASE WHEN i % 7 = 0 THEN NULL ELSE 'user' || i || '@example.com' END AS email,
                           round((i * 37 % 1000) / 10.0, 1)::DOUBLE AS score,
                           i % 2 = 0 AS active,
                           DATE '2020-01-01' + (i % 1500)::INTEGER AS signed_up,
                           TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 61) AS last_seen,
                           (i * 12.34 % 100000)::DECIMAL(12,2) AS balance,
                           CASE i % 5 WHEN 0 THEN '' WHEN 1 THEN 'said "hi", then left' WHEN 2 THEN 'line one
                    line two' WHEN 3 THEN NULL ELSE 'plain' END AS note
                    FROM range(ROWS) t(i)""".replace("ROWS", Long.toString(rows)));
        }
        Files.move(partial, db);
        System.out.printf(Locale.ROOT, "made %s with %d rows in %.1f s%n", db, rows, (System.nanoTime() - t0) / 1e9);
    }

    static void spillway(String what, Path work, String source, String... options) throws Exception {
        Path dest = work.resolve(what.replaceAll("[^a-z0-9]+", "-"));
        delete(dest);
        List<String> args = new ArrayList<>(List.of("run", "--source", source, "--dest", dest.toString(), "--tasks", "1"));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(out));
        long t0 = System.nanoTime();
        int code = cmd.execute(args.toArray(String[]::new));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException(what + " failed: " + out);
        }
        record(what, seconds, rows(dest.resolve("events")), dest.resolve("events"));
        delete(dest);
    }

    static void duckdbCopy(Path db, Path work, long rows) throws Exception {
        Path file = work.resolve("duckdb-copy.parquet");
        Files.deleteIfExists(file);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            s.execute("COPY (SELECT * FROM events) TO '" + file + "' (FORMAT parquet, COMPRESSION snappy)");
            double seconds = (System.nanoTime() - t0) / 1e9;
            results.add(new Result("DuckDB COPY (FORMAT parquet)", seconds, rows, Files.size(file), 1));
            System.out.printf(Locale.ROOT, "%-45s %6.1f s%n", "DuckDB COPY (FORMAT parquet)", seconds);
            Files.delete(file);
        }
    }

    /**
     * The row writers that PostgreSQL, MySQL and SQLite sources feed, timed alone: rows like the
     * table's, made in Java (reading them through a JDBC driver would time the driver instead).
     */
    static void rowWriter(Path work, Format format, Compression compression, long rows) throws Exception {
        Path dest = work.resolve("rows-" + format.extension());
        delete(dest);
        List<Column> columns = List.of(new Column("id", "BIGINT"), new Column("name", "VARCHAR"),
                new Column("age", "INTEGER"), new Column("email", "VARCHAR"), new Column("score", "DOUBLE"),
                new Column("active", "BOOLEAN"), new Column("signed_up", "DATE"), new Column("last_seen", "TIMESTAMP"),
                new Column("balance", "DECIMAL(12,2)"), new Column("note", "VARCHAR"));
        String[] notes = {"", "said \"hi\", then left", "line one\nline two", null, "plain"};
        LocalDate day = LocalDate.of(2020, 1, 1);
        LocalDateTime time = LocalDateTime.of(2024, 1, 1, 0, 0);
        long t0 = System.nanoTime();
        try (ShardWriter out = new ShardWriter(new LocalStore(dest), "events/", format, compression, 1L << 30)) {
            RowWriter writer = out.rows(columns);
            Object[] row = new Object[columns.size()];
            for (long i = 0; i < rows; i++) {
                row[0] = i;
                row[1] = "name_" + i;
                row[2] = (int) (18 + i % 60);
                row[3] = i % 7 == 0 ? null : "user" + i + "@example.com";
                row[4] = Math.round((i * 37 % 1000) / 10.0 * 10) / 10.0;
                row[5] = i % 2 == 0;
                row[6] = day.plusDays(i % 1500);
                row[7] = time.plusSeconds(i * 61);
                row[8] = BigDecimal.valueOf(i * 1234 % 10_000_000, 2);
                row[9] = notes[(int) (i % 5)];
                writer.write(row);
            }
            out.finish();
        }
        record("row writer " + format + (compression == Compression.NONE ? "" : " + " + compression)
                + " (rows made in Java)", (System.nanoTime() - t0) / 1e9, rows, dest.resolve("events"));
        delete(dest);
    }

    static long rows(Path table) throws Exception {
        return io.spillway.job.Json.MAPPER.readTree(table.resolve("_MANIFEST.json").toFile()).get("rows").asLong();
    }

    static void record(String what, double seconds, long rows, Path dir) throws Exception {
        long bytes = 0;
        int files = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith("_") && !name.startsWith(".")) {
                    bytes += Files.size(p);
                    files++;
                }
            }
        }
        results.add(new Result(what, seconds, rows, bytes, files));
        System.out.printf(Locale.ROOT, "%-45s %6.1f s%n", what, seconds);
    }

    static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
