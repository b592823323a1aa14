package io.spillway.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.source.Sources;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MySqlSourceTest {
    static final List<String> HOSTILE = List.of("we\"ird", "a b.c", "back`tick", "naïve_日本", "x); DROP TABLE t; --",
            "q?mark", "Robert'); DROP TABLE students;--");

    @TempDir
    Path dir;

    @Test
    void listsTablesWithCatalogueEstimatesAndSkipsViewsUnlessAsked() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_list")) {
            db.sql("CREATE TABLE " + db.q("small") + " (id INT PRIMARY KEY)",
                    "CREATE TABLE " + db.q("large") + " (id INT PRIMARY KEY, t TEXT)",
                    "INSERT INTO " + db.q("large") + " SELECT seq, REPEAT('x', 100) FROM seq_1_to_5000",
                    "ANALYZE TABLE " + db.q("large"),
                    "CREATE VIEW " + db.q("v") + " AS SELECT * FROM " + db.q("large"),
                    "CREATE SEQUENCE " + db.q("s"));
            try (Source source = Sources.open(db.uri())) {
                List<TableInfo> tables = source.tables();
                assertThat(tables).extracting(TableInfo::name).containsExactly("large", "small");
                assertThat(tables.get(0).estimatedRows()).isBetween(4000L, 6000L);
                assertThat(tables.get(0).estimatedBytes()).isGreaterThan(500_000);
                assertThat(tables.get(0).columns()).extracting(c -> c.name() + " " + c.type()).containsExactly("id int(11)", "t text");
            }
            try (Source source = Sources.open("jdbc:mysql://127.0.0.1:3306/" + db.name + "?user=root&views=true")) {
                assertThat(source.tables()).extracting(TableInfo::name).containsExactly("large", "small", "v");
            }
        }
    }

    @Test
    void hostileNamesExportCorrectlyAndInjectNothing() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_hostile")) {
            for (String name : HOSTILE) {
                db.sql("CREATE TABLE " + db.q(name) + " (" + MySqlSource.ident(name) + " BIGINT PRIMARY KEY, `?` TEXT, `\"` TEXT)",
                        "INSERT INTO " + db.q(name) + " SELECT seq, CONCAT('v', seq), '\"' FROM seq_1_to_300",
                        "ANALYZE TABLE " + db.q(name));
            }
            Exports.run(Exports.config("mariadb://root@127.0.0.1/" + db.name, dir, 2, 4096, 4096, List.of()));
            for (String name : HOSTILE) {
                List<List<String>> rows = Exports.read(dir, name);
                assertThat(rows.get(0)).as(name).containsExactly(name, "?", "\"");
                assertThat(rows).as(name).hasSize(301);
                assertThat(rows.subList(1, 301)).extracting(r -> r.get(0)).doesNotHaveDuplicates();
            }
            assertThat(db.count("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db.name + "'"))
                    .isEqualTo(HOSTILE.size());
        }
    }

    @Test
    void multibyteNamesCutToTheSameLengthExportAsTwoTables() throws Exception {
        // 3 bytes a character in UTF-8, 9 characters once encoded: far over a folder name's 200 characters.
        // With "Aa" and "BB" at the end their String.hashCode is the same.
        String aa = "表".repeat(40) + "Aa";
        String bb = "表".repeat(40) + "BB";
        try (MyTestDb db = new MyTestDb("sw_long")) {
            db.sql("CREATE TABLE " + db.q(aa) + " (id INT PRIMARY KEY)", "INSERT INTO " + db.q(aa) + " VALUES (1)",
                    "CREATE TABLE " + db.q(bb) + " (id INT PRIMARY KEY)", "INSERT INTO " + db.q(bb) + " VALUES (2), (3)");
            Exports.run(Exports.config("mariadb://root@127.0.0.1/" + db.name, dir, 2, 0, 4096, List.of()));
            assertThat(Layout.segment(aa)).isNotEqualTo(Layout.segment(bb));
            assertThat(Exports.read(dir, aa)).hasSize(2);
            assertThat(Exports.read(dir, bb)).hasSize(3);
        }
    }

    @Test
    void splitTablesExportEveryRowExactlyOnce() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            try (MyTestDb db = new MyTestDb("sw_split")) {
                db.sql("CREATE TABLE " + db.q("big") + " (id BIGINT PRIMARY KEY, payload TEXT)");
                Set<Long> ids = new HashSet<>();
                int n = 500 + random.nextInt(1000);
                try (PreparedStatement s = db.connection.prepareStatement("INSERT INTO " + db.q("big") + " VALUES (?, ?)")) {
                    while (ids.size() < n) {
                        long k = switch ((int) seed) {
                            case 1 -> -random.nextInt(1_000_000);
                            case 2 -> random.nextInt(20) == 0 ? random.nextLong() : random.nextInt(500);
                            default -> random.nextBoolean() ? Long.MIN_VALUE + random.nextInt(10_000) : Long.MAX_VALUE - random.nextInt(10_000);
                        };
                        if (ids.add(k)) {
                            s.setLong(1, k);
                            s.setString(2, "x".repeat(random.nextInt(300)));
                            s.addBatch();
                        }
                    }
                    s.executeBatch();
                }
                db.sql("ANALYZE TABLE " + db.q("big"));
                long bytes = db.count("SELECT DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                        + db.name + "' AND TABLE_NAME = 'big'");
                Path dest = dir.resolve("seed" + seed);
                String execution = Exports.run(Exports.config(db.uri(), dest, 2, Math.max(1, bytes / 5), 8192, List.of()));
                Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
                assertThat(plan.unitsOfTable("big")).hasSizeGreaterThan(1);
                List<List<String>> rows = Exports.read(dest, "big");
                List<Long> exported = new ArrayList<>();
                rows.subList(1, rows.size()).forEach(r -> exported.add(Long.parseLong(r.get(0))));
                assertThat(exported).as("seed %d", seed).hasSize(n).doesNotHaveDuplicates();
                assertThat(new TreeSet<>(exported)).isEqualTo(new TreeSet<>(ids));
            }
        }
    }

    /** Strings in a case- and accent-blind collation or a binary one, dates, decimals, unsigned bigints: cut at sampled keys. */
    @ParameterizedTest
    @ValueSource(strings = {"varchar(40) COLLATE utf8mb4_general_ci", "varchar(40) COLLATE utf8mb4_bin", "char(12)",
            "datetime(6)", "timestamp(3)", "date", "decimal(30,10)", "bigint unsigned"})
    void tablesKeyedByOtherOrderableTypesSplitIntoRangesThatHoldEveryRowOnce(String keyType) throws Exception {
        Random random = new Random(keyType.hashCode());
        try (MyTestDb db = new MyTestDb("sw_split")) {
            db.sql("CREATE TABLE " + db.q("keyed") + " (k " + keyType + " NOT NULL PRIMARY KEY, n INT NOT NULL, payload TEXT)"
                    + " CHARACTER SET utf8mb4");
            try (PreparedStatement s = db.connection.prepareStatement("INSERT IGNORE INTO " + db.q("keyed") + " VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 2000; i++) {
                    s.setString(1, key(keyType, random));
                    s.setInt(2, i);
                    s.setString(3, "x".repeat(random.nextInt(300)));
                    s.addBatch();
                }
                s.executeBatch();
            }
            db.sql("ANALYZE TABLE " + db.q("keyed"));
            Set<Long> expected = new TreeSet<>();
            try (var st = db.connection.createStatement(); var rs = st.executeQuery("SELECT n FROM " + db.q("keyed"))) {
                while (rs.next()) {
                    expected.add(rs.getLong(1));
                }
            }
            long bytes = db.count("SELECT DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                    + db.name + "' AND TABLE_NAME = 'keyed'");
            Path dest = dir.resolve("keyed");
            String execution = Exports.run(Exports.config(db.uri(), dest, 2, Math.max(1, bytes / 6), 1 << 20, List.of()));
            Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
            assertThat(plan.unitsOfTable("keyed")).as(keyType).hasSizeGreaterThan(2);
            assertThat(plan.unitsOfTable("keyed").get(1).range().integer()).isFalse();
            List<List<String>> rows = Exports.read(dest, "keyed");
            List<Long> numbers = new ArrayList<>();
            rows.subList(1, rows.size()).forEach(r -> numbers.add(Long.parseLong(r.get(1))));
            assertThat(numbers).as(keyType).hasSize(expected.size()).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(numbers)).as(keyType).isEqualTo(expected);
        }
    }

    /** A random key of the type, as text: strings with quotes, backticks, SQL, case and accents that some collations equate. */
    private static String key(String type, Random random) {
        if (type.startsWith("varchar") || type.startsWith("char")) {
            String[] pieces = {"a", "A", "b", "é", "E", "e", "z", "'", "\"", "`", " ", ",", "😀", "ß", "ss", "1",
                    "'); DROP TABLE x; --", "\\"};
            StringBuilder sb = new StringBuilder();
            for (int i = 1 + random.nextInt(type.startsWith("char") ? 3 : 6); i > 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            return sb.toString();
        }
        return switch (type) {
            case "datetime(6)" -> LocalDateTime.ofEpochSecond(random.nextInt(2_000_000_000) - 1_000_000_000L,
                    random.nextInt(1_000_000) * 1000, ZoneOffset.UTC).toString().replace('T', ' ');
            case "timestamp(3)" -> LocalDateTime.ofEpochSecond(1 + random.nextInt(2_000_000_000),
                    random.nextInt(1000) * 1_000_000, ZoneOffset.UTC).toString().replace('T', ' ');
            case "date" -> LocalDate.ofEpochDay(random.nextInt(200_000) - 100_000).toString();
            case "bigint unsigned" -> Long.toUnsignedString(random.nextLong());
            default -> new BigDecimal(BigInteger.valueOf(random.nextLong()), 10).toPlainString();
        };
    }
}
