package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.layout.Layout;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/** Every type exports to its documented text form and loads back with COPY FROM to the same values. */
class PostgresRoundTripTest {
    /** Column, type, and how a loaded text column compares with the original (%s: original, %l: loaded). */
    private static final String[][] COLUMNS = {
        {"n", "numeric", null}, {"n2", "numeric(40,20)", null}, {"f4", "real", null}, {"f8", "double precision", null},
        {"b", "boolean", null}, {"d", "date", null}, {"t", "time", null}, {"ts", "timestamp", null},
        {"tstz", "timestamptz", null}, {"iv", "interval", null}, {"by", "bytea", "%s = decode(%l, 'base64')"},
        {"j", "json", "%s::text = %l::text"}, {"jb", "jsonb", null}, {"ai", "int[]", "to_jsonb(%s) = %l::jsonb"},
        {"at", "text[]", "to_jsonb(%s) = %l::jsonb"}, {"u", "uuid", null}, {"m", "MOOD", null},
        {"bits", "bit(5)", null}, {"vb", "varbit", null}, {"tx", "text", null}, {"i2", "smallint", null},
        {"i8", "bigint", null}, {"dom", "POSINT", null},
    };
    private static final String[] ROWS = {
        "1, 123456789012345678901234567890.123456789, 0.00000000000000000001, 1.5, 0.1, true, '2024-02-29', '08:30:00',"
            + " '2024-01-31 08:30:00.123456', '2024-03-31 01:30:00+02', '1 year 2 mons 3 days 04:05:06.789', '\\x00ff10',"
            + " '{\"a\": [1, 2, \"x\"]}', '{\"b\": null}', '{1,NULL,3}', '{\"a,b\",\"c\\\"d\",NULL}',"
            + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'happy', B'10101', B'1', 'plain', -32768, -9223372036854775808, 1",
        "2, 'NaN', -1.5, 'NaN', 'Infinity', false, '0001-01-01', '23:59:59.999999', 'infinity', '-infinity', '-1 day',"
            + " '', '[]', '[]', '{}', '{}', '00000000-0000-0000-0000-000000000000', 'sad', B'00000', B'', '', 32767,"
            + " 9223372036854775807, 2",
        "3, '-Infinity', 0, '-Infinity', '-Infinity', NULL, 'infinity', '00:00:00', '1999-12-31 23:59:59',"
            + " '1970-01-01 00:00:00+00', '0 seconds', NULL, 'null', 'null', '{{1,2},{3,4}}', '{\"\"}', NULL, 'ok', NULL,"
            + " NULL, E'quote \" comma , cr \\r lf \\n tab \\t emoji \\U0001F600 backslash \\\\ \\\\. end', 0, 0, NULL",
        "4, 1e-30, NULL, 3.4e38, 1e-300, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL",
    };

    static PgTestDb db;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() throws Exception {
        db = new PgTestDb("sw_types");
        String s = PostgresSource.ident(db.schema);
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + db.q("types") + " (id int PRIMARY KEY");
        for (String[] c : COLUMNS) {
            ddl.append(", ").append(c[0]).append(' ').append(c[1].equals("MOOD") ? s + ".mood"
                    : c[1].equals("POSINT") ? s + ".posint" : c[1]);
        }
        db.sql("CREATE TYPE " + s + ".mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN " + s + ".posint AS int CHECK (VALUE > 0)", ddl + ")");
        for (String row : ROWS) {
            db.sql("INSERT INTO " + db.q("types") + " VALUES (" + row + ")");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        db.close();
    }

    @Test
    void everyValueLoadsBackWithCopyFrom() throws Exception {
        Exports.run(Exports.config(db.uri(), dir, 1, 0, 1 << 30, List.of()));
        db.sql("CREATE TABLE " + db.q("landing") + " (LIKE " + db.q("types") + ")",
                "ALTER TABLE " + db.q("landing") + " ALTER by TYPE text, ALTER ai TYPE text, ALTER at TYPE text");
        PGConnection pg = db.connection.unwrap(PGConnection.class);
        for (var f : Exports.manifest(dir, "types").files()) {
            try (InputStream in = Files.newInputStream(dir.resolve(Layout.tableDir("types") + f.name()))) {
                pg.getCopyAPI().copyIn("COPY " + db.q("landing") + " FROM STDIN (FORMAT csv, HEADER)", in);
            }
        }
        List<String> same = new ArrayList<>();
        for (String[] c : COLUMNS) {
            String cmp = c[2] == null ? "o.%s IS NOT DISTINCT FROM l.%s".formatted(c[0], c[0])
                    : "(o.%s IS NULL AND l.%s IS NULL OR ".formatted(c[0], c[0])
                            + c[2].replace("%s", "o." + c[0]).replace("%l", "l." + c[0]) + ")";
            same.add(cmp);
        }
        assertThat(db.count("SELECT count(*) FROM " + db.q("landing"))).isEqualTo(ROWS.length);
        assertThat(db.count("SELECT count(*) FROM " + db.q("types") + " o FULL JOIN " + db.q("landing")
                + " l ON o.id = l.id WHERE o.id IS NULL OR l.id IS NULL OR NOT (" + String.join(" AND ", same) + ")"))
                .isZero();
        db.sql("DROP TABLE " + db.q("landing"));
    }

    @Test
    void valuesHaveTheirDocumentedTextForms() throws Exception {
        Map<String, String> first = row(Exports.read(exportTo(dir), "types"), 0);
        assertThat(first).containsEntry("b", "true").containsEntry("d", "2024-02-29").containsEntry("t", "08:30:00.000000")
                .containsEntry("ts", "2024-01-31T08:30:00.123456").containsEntry("tstz", "2024-03-30T23:30:00.000000Z")
                .containsEntry("iv", "P1Y2M3DT4H5M6.789S").containsEntry("by", "AP8Q").containsEntry("ai", "[1,null,3]")
                .containsEntry("at", "[\"a,b\",\"c\\\"d\",null]").containsEntry("bits", "10101")
                .containsEntry("n", "123456789012345678901234567890.123456789").containsEntry("f8", "0.1")
                .containsEntry("n2", "0.00000000000000000001")
                .containsEntry("i8", "-9223372036854775808").containsEntry("m", "happy");
        Map<String, String> second = row(Exports.read(dir, "types"), 1);
        assertThat(second).containsEntry("n", "NaN").containsEntry("f4", "NaN").containsEntry("f8", "Infinity")
                .containsEntry("b", "false").containsEntry("ts", "infinity").containsEntry("tstz", "-infinity")
                .containsEntry("by", "").containsEntry("tx", "").containsEntry("at", "[]").containsEntry("vb", "");
        Map<String, String> third = row(Exports.read(dir, "types"), 2);
        assertThat(third).containsEntry("b", null).containsEntry("ai", "[[1,2],[3,4]]").containsEntry("tstz",
                "1970-01-01T00:00:00.000000Z").containsEntry("tx",
                "quote \" comma , cr \r lf \n tab \t emoji \uD83D\uDE00 backslash \\ \\. end");
    }

    @Test
    void neitherTheSessionNorTheJvmTimeZoneShiftsAValue() throws Exception {
        List<List<String>> utc = Exports.read(exportTo(dir.resolve("utc")), "types");
        TimeZone jvm = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
            String uri = db.uri() + "&options=-c%20TimeZone%3DAsia/Kolkata";
            Exports.run(Exports.config(uri, dir.resolve("chatham"), 1, 0, 1 << 30, List.of()));
        } finally {
            TimeZone.setDefault(jvm);
        }
        assertThat(Exports.read(dir.resolve("chatham"), "types")).isEqualTo(utc);
    }

    @Test
    void theRowPathWritesWhatCopyWrites() throws Exception {
        List<List<String>> copy = exportUnit(PostgresSource.open(db.uri()), "copy/");
        List<List<String>> rows = exportUnit(PostgresSource.open(db.uri()).withRowPath(), "rows/");
        assertThat(rows).hasSameSizeAs(copy);
        int f4 = copy.get(0).indexOf("f4");
        int f8 = copy.get(0).indexOf("f8");
        for (int r = 0; r < copy.size(); r++) {
            for (int c = 0; c < copy.get(r).size(); c++) {
                String a = copy.get(r).get(c);
                String b = rows.get(r).get(c);
                if (r > 0 && (c == f4 || c == f8) && a != null) {
                    assertThat(Double.valueOf(b)).as("row %d column %d", r, c).isEqualTo(Double.valueOf(a));
                } else {
                    assertThat(b).as("row %d column %s", r, copy.get(0).get(c)).isEqualTo(a);
                }
            }
        }
    }

    private List<List<String>> exportUnit(PostgresSource source, String prefix) throws Exception {
        try (source; LocalStore store = new LocalStore(dir);
                ShardWriter out = new ShardWriter(store, prefix, Format.CSV, Compression.NONE, 1 << 30)) {
            source.export(Unit.whole("types", 1), out);
            List<ShardFile> files = out.finish();
            List<List<String>> records = Exports.parse(Files.readAllBytes(dir.resolve(files.get(0).path())));
            records.subList(1, records.size()).sort((x, y) -> Integer.compare(Integer.parseInt(x.get(0)),
                    Integer.parseInt(y.get(0))));
            return records;
        }
    }

    private Path exportTo(Path dest) throws Exception {
        Exports.run(Exports.config(db.uri(), dest, 1, 0, 1 << 30, List.of()));
        return dest;
    }

    private static Map<String, String> row(List<List<String>> records, int index) {
        List<List<String>> sorted = new ArrayList<>(records.subList(1, records.size()));
        sorted.sort((x, y) -> Integer.compare(Integer.parseInt(x.get(0)), Integer.parseInt(y.get(0))));
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < records.get(0).size(); i++) {
            m.put(records.get(0).get(i), sorted.get(index).get(i));
        }
        return m;
    }
}
