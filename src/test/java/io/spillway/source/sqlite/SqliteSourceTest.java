package io.spillway.source.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.source.Sources;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqliteSourceTest {
    static final List<String> HOSTILE = List.of("we\"ird", "a b.c", "back`tick", "naïve_日本", "x); DROP TABLE t; --",
            "q?mark", "[brackets]");

    @TempDir
    Path dir;

    private Path db(String... statements) throws Exception {
        Path file = dir.resolve("test.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return file;
    }

    @Test
    void everyValueLoadsBackIntoATableOfTheSameDeclaredTypes() throws Exception {
        String columns = "(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, flag BOOLEAN, d DATE, anything)";
        Path file = db("CREATE TABLE types " + columns, "CREATE TABLE landing " + columns,
                "INSERT INTO types VALUES (1, -9223372036854775808, 0.1, 'quote \" comma , cr ' || char(13) || ' lf '"
                        + " || char(10) || ' tab ' || char(9) || ' emoji 😀', x'00ff10', 1, '2024-02-29', 1.5)",
                "INSERT INTO types VALUES (2, 9223372036854775807, 9e999, '', x'', 0, NULL, 'text')",
                "INSERT INTO types VALUES (3, NULL, -9e999, NULL, NULL, NULL, NULL, x'01')",
                "INSERT INTO types VALUES (4, 0, 1e-300, 'x', NULL, 2, NULL, 7)");
        Exports.run(Exports.config("sqlite:" + file, dir.resolve("out"), 1, 0, 1 << 30, List.of("types")));
        List<List<String>> rows = Exports.read(dir.resolve("out"), "types");
        assertThat(rows.get(0)).containsExactly("id", "i", "r", "t", "b", "flag", "d", "anything");
        assertThat(rows.get(1)).containsExactly("1", "-9223372036854775808", "0.1",
                "quote \" comma , cr \r lf \n tab \t emoji 😀", "AP8Q", "true", "2024-02-29", "1.5");
        assertThat(rows.get(2)).containsExactly("2", "9223372036854775807", "Infinity", "", "", "false", null, "text");
        assertThat(rows.get(4)).containsSubsequence("2"); // a BOOLEAN column holding 2 keeps it

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement insert = c.prepareStatement("INSERT INTO landing VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            String[] types = {"INTEGER", "INTEGER", "REAL", "TEXT", "BLOB", "BOOLEAN", "DATE", ""};
            for (List<String> r : rows.subList(1, rows.size())) {
                for (int i = 0; i < r.size(); i++) {
                    insert.setObject(i + 1, load(r.get(i), types[i]));
                }
                insert.executeUpdate();
            }
            insert.close();
            try (Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM types o JOIN landing l ON o.id = l.id WHERE"
                            + " o.i IS l.i AND o.r IS l.r AND o.t IS l.t AND o.b IS l.b AND o.flag IS l.flag AND o.d IS l.d")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(4);
            }
        }
    }

    /** What SQLite's own loaders do by declared type; the untyped column is left out (its text loses the storage class). */
    private static Object load(String text, String type) {
        if (text == null) {
            return null;
        }
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "INTEGER" -> Long.parseLong(text);
            case "REAL" -> Double.parseDouble(text);
            case "BLOB" -> Base64.getDecoder().decode(text);
            case "BOOLEAN" -> text.equals("true") ? 1 : text.equals("false") ? 0 : Long.parseLong(text);
            default -> text;
        };
    }

    @Test
    void listsTablesWithDbstatSizesSkipsViewsAndSplitsOnTheRowid() throws Exception {
        Path file = db("CREATE TABLE big (id INTEGER PRIMARY KEY, pad TEXT)",
                "WITH RECURSIVE g(k) AS (SELECT -5000 UNION ALL SELECT k + 7 FROM g WHERE k < 50000)"
                        + " INSERT INTO big SELECT k, printf('%.*c', abs(k) % 300, 'x') FROM g",
                "INSERT INTO big VALUES (9000000000000000000, 'far')",
                "CREATE TABLE small (a)", "CREATE VIEW v AS SELECT * FROM big");
        try (Source source = Sources.open("sqlite:" + file)) {
            List<TableInfo> tables = source.tables();
            assertThat(tables).extracting(TableInfo::name).containsExactly("big", "small");
            assertThat(tables.get(0).estimatedRows()).isEqualTo(7860);
            assertThat(tables.get(0).estimatedBytes()).isGreaterThan(1_000_000);
        }
        try (Source source = Sources.open("jdbc:sqlite:" + file + "?views=true")) {
            assertThat(source.tables()).extracting(TableInfo::name).containsExactly("big", "small", "v");
        }
        String execution = Exports.run(Exports.config("sqlite:" + file, dir.resolve("out"), 3, 100_000, 64 * 1024,
                List.of("big")));
        Plan plan = Json.read(Files.readAllBytes(dir.resolve("out").resolve(Layout.plan(execution))), Plan.class, "plan");
        assertThat(plan.unitsOfTable("big")).hasSizeGreaterThan(5);
        List<List<String>> rows = Exports.read(dir.resolve("out"), "big");
        List<Long> ids = new ArrayList<>();
        rows.subList(1, rows.size()).forEach(r -> ids.add(Long.parseLong(r.get(0))));
        assertThat(ids).hasSize(7860).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(ids).last()).isEqualTo(9000000000000000000L);
    }

    /** A text key, in SQLite's own collations, with or without a rowid: cut at every n-th key as SQLite sorts them. */
    @ParameterizedTest
    @ValueSource(strings = {"TEXT", "TEXT COLLATE NOCASE", "VARCHAR(20) COLLATE RTRIM", "TEXT) WITHOUT ROWID --"})
    void tablesKeyedByTextSplitIntoRangesThatHoldEveryRowOnce(String keyType) throws Exception {
        String[] pieces = {"a", "A", "b", "é", "É", "z", "'", "\"", " ", ",", "😀", "1", "'); DROP TABLE x; --"};
        Random random = new Random(keyType.hashCode());
        Path file = db("CREATE TABLE keyed (n INTEGER NOT NULL, k " + keyType.replace(") WITHOUT ROWID --", "")
                + " PRIMARY KEY, pad TEXT" + (keyType.contains("WITHOUT") ? ") WITHOUT ROWID" : ")"));
        Set<Long> expected = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement s = c.prepareStatement("INSERT OR IGNORE INTO keyed VALUES (?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 1; i <= 3000; i++) {
                StringBuilder key = new StringBuilder();
                for (int j = 1 + random.nextInt(6); j > 0; j--) {
                    key.append(pieces[random.nextInt(pieces.length)]);
                }
                s.setInt(1, i);
                s.setString(2, key.toString());
                s.setString(3, "x".repeat(random.nextInt(300)));
                if (s.executeUpdate() == 1) {
                    expected.add((long) i);
                }
            }
            c.commit();
        }
        String execution = Exports.run(Exports.config("sqlite:" + file, dir.resolve("out"), 2, 50_000, 1 << 20,
                List.of("keyed")));
        Plan plan = Json.read(Files.readAllBytes(dir.resolve("out").resolve(Layout.plan(execution))), Plan.class, "plan");
        assertThat(plan.unitsOfTable("keyed")).as(keyType).hasSizeGreaterThan(5);
        assertThat(plan.unitsOfTable("keyed").get(1).range().integer()).isFalse();
        List<List<String>> rows = Exports.read(dir.resolve("out"), "keyed");
        List<Long> numbers = new ArrayList<>();
        rows.subList(1, rows.size()).forEach(r -> numbers.add(Long.parseLong(r.get(0))));
        assertThat(numbers).as(keyType).hasSize(expected.size()).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(numbers)).as(keyType).isEqualTo(expected);
    }

    @Test
    void hostileNamesExportCorrectly() throws Exception {
        List<String> ddl = new ArrayList<>();
        for (String name : HOSTILE) {
            String q = SqliteSource.ident(name);
            ddl.add("CREATE TABLE " + q + " (" + q + " INTEGER PRIMARY KEY, \"?\" TEXT)");
            ddl.add("WITH RECURSIVE g(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM g WHERE k < 300) INSERT INTO " + q
                    + " SELECT k, 'v' || k FROM g");
        }
        Path file = db(ddl.toArray(String[]::new));
        Exports.run(Exports.config("sqlite:" + file, dir.resolve("out"), 2, 2048, 4096, List.of()));
        for (String name : HOSTILE) {
            List<List<String>> rows = Exports.read(dir.resolve("out"), name);
            assertThat(rows.get(0)).containsExactly(name, "?");
            assertThat(rows).hasSize(301);
            assertThat(rows.subList(1, 301)).extracting(r -> r.get(0)).doesNotHaveDuplicates();
        }
    }

    @Test
    void aMissingFileIsTheJobsFault() {
        assertThatThrownBy(() -> Sources.open("sqlite:" + dir.resolve("nope.sqlite")))
                .satisfies(e -> assertThat(ExitCode.of(e)).isEqualTo(ExitCode.BAD_JOB))
                .hasMessageContaining("does not exist");
    }
}
