package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Unit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A table cut into key ranges exports every row exactly once, into one file sequence and one manifest. */
class PostgresSplitTest {
    @TempDir
    Path dir;

    @Test
    void splitTablesExportEveryRowExactlyOnce() throws Exception {
        for (long seed = 1; seed <= 8; seed++) {
            Random random = new Random(seed);
            String shape = List.of("dense", "negative", "gaps", "skewed", "extremes").get((int) (seed % 5));
            LongSupplier keys = switch (shape) {
                case "dense" -> new LongSupplier() {
                    long next = random.nextInt(1000);
                    public long getAsLong() {
                        return next++;
                    }
                };
                case "negative" -> () -> -random.nextInt(1_000_000);
                case "gaps" -> () -> random.nextInt(10) * 1_000_000_000L + random.nextInt(100_000);
                case "skewed" -> () -> random.nextInt(20) == 0 ? random.nextLong() : random.nextInt(500);
                default -> () -> random.nextBoolean() ? Long.MIN_VALUE + random.nextInt(10_000) : Long.MAX_VALUE - random.nextInt(10_000);
            };
            check(seed, shape, keys, random);
        }
    }

    /** Text in any collation, uuid, timestamps, numeric, dates: cut at sampled values, compared by the server. */
    @ParameterizedTest
    @ValueSource(strings = {"text", "text COLLATE \"C\"", "varchar(40)", "char(12)", "uuid", "timestamptz", "timestamp",
            "numeric(30,10)", "date"})
    void tablesKeyedByOtherOrderableTypesSplitIntoRangesThatHoldEveryRowOnce(String keyType) throws Exception {
        Random random = new Random(keyType.hashCode());
        try (PgTestDb db = new PgTestDb("sw_split")) {
            db.sql("CREATE TABLE " + db.q("keyed") + " (k " + keyType + " PRIMARY KEY, n int NOT NULL, payload text)");
            int n = 2000;
            try (PreparedStatement s = db.connection.prepareStatement("INSERT INTO " + db.q("keyed")
                    + " VALUES (?::" + keyType.replaceAll(" COLLATE.*", "") + ", ?, ?) ON CONFLICT DO NOTHING")) {
                for (int i = 1; i <= n; i++) {
                    s.setString(1, key(keyType, random));
                    s.setInt(2, i);
                    s.setString(3, "x".repeat(random.nextInt(300)));
                    s.addBatch();
                }
                s.executeBatch();
            }
            long rows = db.count("SELECT count(*) FROM " + db.q("keyed"));
            long bytes = db.scannedBytes("keyed");
            Path dest = dir.resolve("keyed");
            String execution = Exports.run(Exports.config(db.uri(), dest, 2, Math.max(1, bytes / 6), 1 << 20, List.of()));

            Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
            List<Unit> units = plan.unitsOfTable("keyed");
            assertThat(units).as(keyType).hasSizeGreaterThan(2);
            assertThat(units.get(1).range().integer()).isFalse();
            List<List<String>> exported = Exports.read(dest, "keyed");
            List<Long> numbers = new ArrayList<>();
            exported.subList(1, exported.size()).forEach(r -> numbers.add(Long.parseLong(r.get(1))));
            Set<Long> expected = new TreeSet<>();
            try (var st = db.connection.createStatement(); var rs = st.executeQuery("SELECT n FROM " + db.q("keyed"))) {
                while (rs.next()) {
                    expected.add(rs.getLong(1));
                }
            }
            assertThat(numbers).as(keyType).hasSize((int) rows).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(numbers)).as(keyType).isEqualTo(expected);
            assertThat(Exports.manifest(dest, "keyed").rows()).isEqualTo(rows);
        }
    }

    /** A random key of the type, as text: strings with quotes, commas, SQL, case and non-ASCII letters. */
    private static String key(String type, Random random) {
        if (type.startsWith("text") || type.startsWith("varchar") || type.startsWith("char")) {
            String[] pieces = {"a", "B", "b", "é", "E", "z", "'", "\"", " ", ",", "😀", "ß", "1", "'); DROP TABLE x; --", "\\"};
            StringBuilder sb = new StringBuilder();
            for (int i = 1 + random.nextInt(type.startsWith("char") ? 3 : 6); i > 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            return sb.toString();
        }
        return switch (type) {
            case "uuid" -> new UUID(random.nextLong(), random.nextLong()).toString();
            case "timestamptz", "timestamp" -> Instant.ofEpochSecond(random.nextInt(2_000_000_000) - 1_000_000_000L,
                    random.nextInt(1_000_000) * 1000L).toString();
            case "date" -> LocalDate.ofEpochDay(random.nextInt(200_000) - 100_000).toString();
            default -> new BigDecimal(BigInteger.valueOf(random.nextLong()), 10).toPlainString();
        };
    }

    private void check(long seed, String shape, LongSupplier keys, Random random) throws Exception {
        try (PgTestDb db = new PgTestDb("sw_split")) {
            String keyType = shape.equals("dense") ? "int" : "bigint";
            db.sql("CREATE TABLE " + db.q("big") + " (id " + keyType + " PRIMARY KEY, payload text)");
            Set<Long> ids = new HashSet<>();
            int n = 300 + random.nextInt(1500);
            try (PreparedStatement s = db.connection.prepareStatement("INSERT INTO " + db.q("big") + " VALUES (?, ?)")) {
                while (ids.size() < n) {
                    long k = keys.getAsLong();
                    if (ids.add(k)) {
                        s.setLong(1, k);
                        s.setString(2, "row " + k + " " + "x".repeat(random.nextInt(200)));
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
            if (random.nextBoolean()) {
                db.sql("ANALYZE " + db.q("big"));
            }
            long bytes = db.scannedBytes("big");
            int parts = 2 + random.nextInt(12);
            int tasks = 1 + random.nextInt(3);
            Path dest = dir.resolve("seed" + seed);
            String execution = Exports.run(Exports.config(db.uri(), dest, tasks, Math.max(1, bytes / parts), 4096,
                    List.of()));

            Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
            List<Unit> units = plan.unitsOfTable("big");
            String what = "seed " + seed + " (" + shape + ", " + n + " rows, " + units.size() + " units, " + tasks + " tasks)";
            assertThat(units).as(what).hasSizeGreaterThan(1);
            List<List<String>> rows = Exports.read(dest, "big");
            assertThat(rows.get(0)).containsExactly("id", "payload");
            List<Long> exported = new ArrayList<>();
            rows.subList(1, rows.size()).forEach(r -> exported.add(Long.parseLong(r.get(0))));
            assertThat(exported).as(what).hasSize(n).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(exported)).as(what).isEqualTo(new TreeSet<>(ids));
            assertThat(Exports.manifest(dest, "big").rows()).isEqualTo(n);
        }
    }
}
