import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * The DuckDB side of bench/run.sh, compiled once by it (not timed) and run as its own JVM:
 * {@code make DB ROWS} builds the tables s1, s2, s3 (the shapes of the PostgreSQL and MariaDB
 * cases) and the one-row table one_row, unless they already hold ROWS rows;
 * {@code copy DB TABLE OUT} is the anchor: it opens the file read-only and runs DuckDB's own
 * {@code COPY TABLE TO 'OUT' (FORMAT csv, HEADER true)}, as a user with a JVM and no CLI would.
 */
public final class DuckCopy {
    public static void main(String[] args) throws Exception {
        String url = "jdbc:duckdb:" + java.nio.file.Path.of(args[1]).toAbsolutePath();
        if (args[0].equals("make")) {
            make(url, Long.parseLong(args[2]));
            return;
        }
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            s.execute("COPY " + args[2] + " TO '" + args[3].replace("'", "''") + "' (FORMAT csv, HEADER true)");
        }
    }

    private static void make(String url, long rows) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_meta (rows BIGINT)");
            try (ResultSet rs = s.executeQuery("SELECT max(rows) FROM bench_meta")) {
                if (rs.next() && rs.getLong(1) == rows) {
                    return;
                }
            }
            String n = Long.toString(rows);
            s.execute("CREATE OR REPLACE TABLE s1 AS SELECT g::BIGINT AS id, md5(g::VARCHAR) AS h,"
                    + " random() * 1e6 AS x, (g % 100000)::INTEGER AS n, DATE '2000-01-01' + (g % 10000)::INTEGER AS d"
                    + " FROM range(1, " + n + " + 1) t(g)");
            s.execute("CREATE OR REPLACE TABLE s2 AS SELECT g::BIGINT AS id, md5(g::VARCHAR) || md5((g + 1)::VARCHAR) AS a,"
                    + " repeat(md5((g * 3)::VARCHAR), 3) AS b, repeat(md5((g * 7)::VARCHAR), 3) AS c,"
                    + " 'row ' || g || ' ' || md5((g * 11)::VARCHAR) AS d FROM range(1, " + n + " + 1) t(g)");
            s.execute("CREATE OR REPLACE TABLE s3 AS SELECT g::BIGINT AS id, (g * 1.000001)::DECIMAL(18,6) AS n1,"
                    + " round(random() * 1e6, 2)::DECIMAL(12,2) AS n2, (g / 7.0)::DECIMAL(38,10) AS n3,"
                    + " TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL 1 SECOND AS t1,"
                    + " TIMESTAMPTZ '2020-06-01 12:00:00+00' + (g % 86400000) * INTERVAL 1 MILLISECOND AS t2,"
                    + " TIMESTAMP '2000-01-01' + g * INTERVAL 1 MINUTE AS t3 FROM range(1, " + n + " + 1) t(g)");
            s.execute("CREATE OR REPLACE TABLE one_row AS SELECT * FROM s1 LIMIT 1");
            s.execute("DELETE FROM bench_meta");
            s.execute("INSERT INTO bench_meta VALUES (" + n + ")");
            s.execute("CHECKPOINT");
        }
    }
}
