package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plan;
import io.spillway.testing.Cli;
import io.spillway.testing.HiveReadBack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --partition-by} on PostgreSQL, a table cut into ranges on two tasks: by a text column with
 * hostile values (which takes the table off the COPY path onto the row path), and by the month of a
 * timestamptz; DuckDB's {@code hive_partitioning} reads both back equal to the source, in CSV and Parquet.
 */
class PostgresPartitionByTest {
    private static final String ROW = "concat_ws('|', id::text, coalesce(region, '<null>'), coalesce(%s, '<null>'),"
            + " coalesce(%s, '<null>'))";

    @TempDir
    Path dir;

    @Test
    void partitionsReadBackEqualToTheSource() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_part")) {
            for (String t : List.of("orders", "events")) {
                db.sql("CREATE TABLE " + db.q(t) + " (id bigint PRIMARY KEY, region text, at timestamptz,"
                        + " amount numeric(10,2))",
                        "INSERT INTO " + db.q(t) + " SELECT i, (ARRAY['EU', 'a/b', '', '../x', '100%', 'ünï', NULL])[i % 7 + 1],"
                                + " CASE WHEN i % 11 = 0 THEN NULL ELSE TIMESTAMPTZ '2024-01-31 23:30:00.000001+00'"
                                + " + i * INTERVAL '3 hours 1.5 seconds' END, i * 1.25 FROM generate_series(1, 3000) i",
                        "ANALYZE " + db.q(t));
            }
            String pgAt = "to_char(\"at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
            List<String> expected = rows(PgTestDb.JDBC, "SELECT " + String.format(ROW, pgAt, "amount::text") + " FROM "
                    + db.q("orders"));
            for (String format : List.of("csv", "parquet")) {
                Path dest = dir.resolve(format);
                var run = Cli.run("run", "--execution", "e1", "--source", db.uri(), "--dest", dest.toString(),
                        "--format", format, "--tasks", "2", "--split-size", "16KiB", "--partition-by", "orders=region",
                        "--partition-by", "events=at:month");
                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan("e1"))), Plan.class, "plan");
                assertThat(plan.unitsOfTable("orders")).hasSizeGreaterThan(1);

                Map<String, String> files = format.equals("csv")
                        ? new java.util.LinkedHashMap<>(Map.of("id", "VARCHAR")) : Map.of();
                if (format.equals("csv")) {
                    files.put("at", "VARCHAR");
                    files.put("amount", "VARCHAR");
                }
                String orders = HiveReadBack.read(dest.resolve("orders"), format, files, Map.of("region", "VARCHAR"));
                String duckAt = format.equals("csv") ? "\"at\"" : "strftime(\"at\" AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')";
                assertThat(rows("jdbc:duckdb:", "SELECT " + String.format(ROW, duckAt, "amount::VARCHAR") + " FROM "
                        + orders)).as(format).containsExactlyInAnyOrderElementsOf(expected);
                Manifest m = Json.read(Files.readAllBytes(dest.resolve(Layout.manifest("orders"))), Manifest.class, "m");
                assertThat(m.partitions()).extracting(Manifest.Partition::value)
                        .containsExactlyInAnyOrder("EU", "a/b", "", "../x", "100%", "ünï", null);
                assertThat(m.partitions()).extracting(Manifest.Partition::path).contains("region=a%2Fb", "region=..%2Fx",
                        "region=100%25", "region=", "region=__HIVE_DEFAULT_PARTITION__");

                Map<String, String> all = new java.util.LinkedHashMap<>(files);
                if (format.equals("csv")) {
                    all.clear();
                    all.put("id", "VARCHAR");
                    all.put("region", "VARCHAR");
                    all.put("at", "VARCHAR");
                    all.put("amount", "VARCHAR");
                }
                String events = HiveReadBack.read(dest.resolve("events"), format, all, Map.of("at_month", "VARCHAR"));
                List<String> months = rows(PgTestDb.JDBC, "SELECT id::text || '|' || coalesce(to_char(\"at\" AT TIME ZONE"
                        + " 'UTC', 'YYYY-MM'), '<null>') FROM " + db.q("events"));
                assertThat(rows("jdbc:duckdb:", "SELECT id::VARCHAR || '|' || coalesce(at_month, '<null>') FROM "
                        + events)).containsExactlyInAnyOrderElementsOf(months);
                assertThat(rows("jdbc:duckdb:", "SELECT " + String.format(ROW, duckAt, "amount::VARCHAR") + " FROM "
                        + events)).containsExactlyInAnyOrderElementsOf(rows(PgTestDb.JDBC, "SELECT "
                        + String.format(ROW, pgAt, "amount::text") + " FROM " + db.q("events")));
                var verify = Cli.run("verify", "--dest", dest.toString());
                assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
            }
        }
    }

    private static List<String> rows(String jdbc, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            if (jdbc.startsWith("jdbc:duckdb")) {
                s.execute("SET TimeZone = 'UTC'");
            }
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }
}
