package io.spillway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * The benchmark's DuckDB side, run by bench/duckdb.sh: {@code make DB ROWS} builds the table once;
 * {@code copy DB OUT} times DuckDB's own COPY of it to one CSV file, in a fresh JVM like Spillway's task;
 * {@code same DB OUT} times the COPY that writes the bytes Spillway writes (its CSV dialect: ISO 8601
 * timestamps with six fraction digits, zoned ones in UTC with a Z), to one file.
 */
public final class DuckDbBench {
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[1]);
        if (args[0].equals("make")) {
            long rows = Long.parseLong(args[2]);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'events'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        try (ResultSet n = s.executeQuery("SELECT count(*) FROM events")) {
                            n.next();
                            if (n.getLong(1) == rows) {
                                return;
                            }
                        }
                    }
                }
                s.execute(io.spillway.testing.Warehouse.table("events", rows));
                s.execute("CHECKPOINT");
            }
            return;
        }
        Path out = Path.of(args[2]);
        Files.deleteIfExists(out);
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath(), p);
                Statement s = c.createStatement()) {
            long copyStart = System.nanoTime();
            s.execute(args[0].equals("same")
                    ? "SET TimeZone = 'UTC'; COPY (SELECT * REPLACE (strftime(timezone('UTC', changed_at),"
                            + " '%Y-%m-%dT%H:%M:%S.%fZ') AS changed_at) FROM events) TO '" + out.toAbsolutePath()
                            + "' (FORMAT csv, HEADER true, NULLSTR '', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%f')"
                    : "COPY events TO '" + out.toAbsolutePath() + "' (FORMAT csv, HEADER true)");
            System.out.printf("copy_ms=%d%n", (System.nanoTime() - copyStart) / 1_000_000);
        }
        System.out.printf("jvm_ms=%d%n", (System.nanoTime() - start) / 1_000_000);
    }
}
