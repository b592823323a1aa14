package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.format.Codecs;
import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.KeyRange;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV written from a binary COPY against the CSV COPY's own text, rewritten as ever: the same
 * bytes for every value of every type the binary path takes, edge values first, then random ones.
 */
class PostgresBinaryCopyTest {
    private static PgTestDb db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTables() throws Exception {
        db = new PgTestDb("sw_binary");
        db.sql("CREATE DOMAIN " + db.q("positive") + " AS int CHECK (VALUE > 0)",
                "CREATE TYPE " + db.q("mood") + " AS ENUM ('sad', 'ok', 'happy, \"very\"')",
                "CREATE TABLE " + db.q("documents") + " (id int PRIMARY KEY, j json, jb jsonb, m " + db.q("mood") + ", by bytea)",
                "INSERT INTO " + db.q("documents") + " VALUES (1, '{\"a\": [1, 2.50, \"x,y\"]}', '{\"b\": {\"c\": null}, \"a\": 1.50}',"
                        + " 'happy, \"very\"', '\\x00ff2c22'), (2, '\"\"', '\"\"', 'sad', ''), (3, null, null, null, null),"
                        + " (4, '[]', '[\"\\n\"]', 'ok', '\\x0a0d')",
                "INSERT INTO " + db.q("documents") + " SELECT g, json_build_object('g', g, 's', md5(g::text)),"
                        + " jsonb_build_object('g', g, 'n', g / 7.0, 'l', array[g, -g]), (enum_range(null::" + db.q("mood") + "))[g % 3 + 1],"
                        + " decode(md5(g::text) || repeat('ab', g % 50), 'hex') FROM generate_series(5, 5000) g",
                "CREATE TABLE " + db.q("all kinds, \"quoted\"") + " (id int PRIMARY KEY, i2 smallint, i4 int, i8 bigint, b boolean,"
                        + " tx text, vc varchar(20), ch char(5), n numeric, n2 numeric(12,2), d date, ts timestamp,"
                        + " tstz timestamptz, t time, u uuid, dom " + db.q("positive") + ", \"a,b\" text)",
                "INSERT INTO " + db.q("all kinds, \"quoted\"") + " VALUES"
                        + " (1, -32768, -2147483648, -9223372036854775808, true, '', '', '', 0, 0, '2024-02-29',"
                        + "  '2024-01-31 08:30:00.5', '2024-01-31 08:30:00.000001+00', '00:00', '00000000-0000-0000-0000-000000000000', 1, 'x'),"
                        + " (2, 32767, 2147483647, 9223372036854775807, false, '\\.', 'a,b', 'ab', 'NaN', -5.5, '0001-01-01',"
                        + "  '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '23:59:59.999999', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 7, ''),"
                        + " (3, 0, 0, 0, null, 'quote \" comma , cr \r lf \n tab \t emoji \uD83D\uDE00 backslash \\ end', 'x\"y', 'a\"b',"
                        + "  'Infinity', 99999999.99, '9999-12-31', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00',"
                        + "  '24:00:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 2147483647, null),"
                        + " (4, -1, -1, -1, true, 'NULL', ' lead', '   ', '-Infinity', 0.10, '10000-01-01', '10000-01-01 00:00:00',"
                        + "  '12345-06-07 08:09:10.12+00', '12:00:00.5', null, null, '\\N'),"
                        + " (5, null, null, null, null, null, null, null, 123456789012345678901234567890.123456789, -0.01,"
                        + "  '0044-03-15 BC', '0044-03-15 00:00:00.5 BC', '0044-03-15 00:00:00+00 BC', null, null, null, 'eight by'),"
                        + " (6, 1, 1, 1, false, 'abcdefgh,', 'abcdefg\"', 'abcd,', 0.00000000000000000001, 10000, '4713-01-01 BC',"
                        + "  '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC', '00:00:00.000001', null, 3, 'abcdefghijklmno\r'),"
                        + " (7, 2, 2, 2, true, 'x', 'y', 'z', -0.000, 0.01, 'infinity', 'infinity', '-infinity', '01:02:03', null, 4, 'a'),"
                        + " (8, 3, 3, 3, false, 'y', 'z', 'x', -1e-10, -99999999.99, '-infinity', '-infinity', 'infinity',"
                        + "  '10:00:00.1', null, 5, 'b'),"
                        + " (9, 4, 4, 4, true, 'z', 'x', 'y', 1e30, 1, '5874897-12-31', '294276-12-31 23:59:59.999999',"
                        + "  '1999-12-31 23:59:59.999999+00', '00:00:01', null, 6, 'c'),"
                        + " (10, 5, 5, 5, false, 'w', 'v', 'u', 10000, 100, '1970-01-01', '1969-12-31 23:59:59.999999',"
                        + "  '1970-01-01 00:00:00+00', '00:00:00.100000', null, 7, 'd')",
                // random values of every kind: numerics of every weight and scale, dates and times across the calendar
                "INSERT INTO " + db.q("all kinds, \"quoted\"") + " SELECT g, (random() * 65535 - 32768)::int,"
                        + " (random() * 4e9 - 2e9)::int, (random() * 1e18 - 5e17)::bigint, random() < 0.5,"
                        + " md5(g::text) || CASE WHEN g % 7 = 0 THEN ',' WHEN g % 11 = 0 THEN '\"' ELSE '' END,"
                        + " left(md5(g::text), g % 20), left(md5(g::text), g % 6),"
                        + " round((random() * 10 ^ (g % 40 - 20))::numeric, g % 25), round((random() * 1e9)::numeric, 2),"
                        + " date '2000-01-01' + (random() * 2000000 - 1000000)::int,"
                        // then, from row 15000, timestamps a fraction of a second apart across midnight, the new year and
                        // PostgreSQL's epoch (2000-01-01), so that many in a row share a minute
                        + " CASE WHEN g < 15000 THEN timestamp '2000-01-01' + (random() * 1e11 - 5e10) * interval '1 second'"
                        + " + (g % 1000000) * interval '1 microsecond'"
                        + " ELSE timestamp '1999-12-31 23:30:00' + (g - 15000) * interval '0.700001 second' END,"
                        // then, from row 10000, timestamps of a few days in a row, as tables often hold them
                        + " CASE WHEN g < 10000 THEN timestamptz '1900-01-01 00:00:00+00' + random() * interval '200 years'"
                        + " ELSE timestamptz '2024-02-28 23:00:00+00' + g * interval '17.000003 second' END,"
                        + " time '00:00' + random() * interval '24 hours', md5(g::text)::uuid, g, g::text"
                        + " FROM generate_series(11, 20000) g",
                // doubles: edges, every scale, integers, as random() and prices fill columns (Float8TextTest has random bits)
                "CREATE TABLE " + db.q("doubles") + " (id int PRIMARY KEY, f8 double precision, d date, n int)",
                "INSERT INTO " + db.q("doubles") + " VALUES (1, 0, '2024-02-29', 1), (2, '-0', null, null), (3, 'NaN', null, 3),"
                        + " (4, 'Infinity', null, 4), (5, '-Infinity', null, 5), (6, 4.9e-324, null, 6), (7, 1.7976931348623157e308, null, 7),"
                        + " (8, 1e23, null, 8), (9, 0.1, null, 9), (10, 1e15, null, 10), (11, 123456789012345, null, 11),"
                        + " (12, 0.0001, null, 12), (13, 0.00001, null, 13), (14, -2.5e-300, null, 14), (15, null, null, null)",
                "INSERT INTO " + db.q("doubles") + " SELECT g, CASE g % 4 WHEN 0 THEN random()"
                        + " WHEN 1 THEN (random() - 0.5) * 10 ^ (g % 600 - 300) WHEN 2 THEN round((random() * 1e6)::numeric, 2)::float8"
                        + " ELSE (random() * 1e17)::bigint::float8 END, date '2000-01-01' + g % 9000, g FROM generate_series(16, 20000) g",
                "CREATE TABLE " + db.q("one") + " (v text)",
                "INSERT INTO " + db.q("one") + " VALUES ('\\.'), (''), (null), ('a')");
    }

    @AfterAll
    static void dropTables() throws Exception {
        db.close();
    }

    @Test
    void binaryCopyWritesTheSameBytesAsTheCsvCopy() throws Exception {
        for (String table : new String[] {"all kinds, \"quoted\"", "one", "documents", "doubles"}) {
            String binary = export(PostgresSource.open(db.uri()), Unit.whole(table, 1), "binary/");
            String text = export(PostgresSource.open(db.uri()).withTextCopy(), Unit.whole(table, 1), "text/");
            assertLinesEqual(binary, text, table);
        }
        String first = export(PostgresSource.open(db.uri()), Unit.whole("all kinds, \"quoted\"", 1), "again/");
        assertThat(first).startsWith("id,i2,i4,i8,b,tx,vc,ch,n,n2,d,ts,tstz,t,u,dom,\"a,b\"\n"
                + "1,-32768,-2147483648,-9223372036854775808,true,\"\",\"\",     ,0,0.00,2024-02-29,"
                + "2024-01-31T08:30:00.500000,2024-01-31T08:30:00.000001Z,00:00:00.000000,00000000-0000-0000-0000-000000000000,1,x\n");
        assertThat(export(PostgresSource.open(db.uri()), Unit.whole("one", 1), "one/")).isEqualTo("v\n\"\\.\"\n\"\"\n\na\n");
    }

    @Test
    void aKeyRangeIsCopiedInBinaryThroughItsSelect() throws Exception {
        Unit range = new Unit("all kinds, \"quoted\"", 1, 2, KeyRange.integers("id", 3L, 9L, false), 1);
        String binary = export(PostgresSource.open(db.uri()), range, "binary-range/");
        String text = export(PostgresSource.open(db.uri()).withTextCopy(), range, "text-range/");
        assertLinesEqual(binary, text, "range");
        assertThat(Exports.parse(binary.getBytes(StandardCharsets.UTF_8))).hasSize(7);
    }

    @Test
    void filesRollOverAtTheSameRowsAsTheCsvCopy() throws Exception {
        // the binary path hands rows to the writer in batches: a file still ends before the row that would pass
        // the limit, and a row larger than the limit still gets a file of its own (every row of "documents" at 150)
        record Case(Unit unit, long limit) {}
        Case[] cases = {new Case(Unit.whole("all kinds, \"quoted\"", 1), 100_000),
                new Case(new Unit("all kinds, \"quoted\"", 1, 2, KeyRange.integers("id", 1L, 400L, false), 1), 1_000),
                new Case(new Unit("documents", 1, 2, KeyRange.integers("id", 1L, 60L, false), 1), 150)};
        for (Case c : cases) {
            long limit = c.limit();
            String what = c.unit().table() + " in files of " + limit + " bytes";
            List<byte[]> binary = files(PostgresSource.open(db.uri()), c.unit(), limit, Compression.NONE, "binary-" + limit + "/");
            List<byte[]> text = files(PostgresSource.open(db.uri()).withTextCopy(), c.unit(), limit, Compression.NONE,
                    "text-" + limit + "/");
            assertThat(binary).as(what).hasSizeGreaterThan(2).hasSameSizeAs(text);
            String first = new String(text.get(0), StandardCharsets.UTF_8);
            String header = first.substring(0, first.indexOf('\n') + 1);
            for (int i = 0; i < binary.size(); i++) {
                assertThat(new String(binary.get(i), StandardCharsets.UTF_8)).as("%s, file %d", what, i)
                        .isEqualTo(new String(text.get(i), StandardCharsets.UTF_8)).startsWith(header);
                int rows = Exports.parse(binary.get(i)).size() - 1;
                assertThat(binary.get(i).length <= limit || rows == 1).as("%s, file %d of %d bytes and %d rows", what, i,
                        binary.get(i).length, rows).isTrue();
            }
        }
        // compressed, the limit counts what the compressor has flushed: the rows are the same, in files that start with the header
        Unit whole = Unit.whole("all kinds, \"quoted\"", 1);
        List<byte[]> binary = files(PostgresSource.open(db.uri()), whole, 60_000, Compression.GZIP, "gz-binary/");
        List<byte[]> text = files(PostgresSource.open(db.uri()).withTextCopy(), whole, 60_000, Compression.GZIP, "gz-text/");
        assertThat(binary).hasSizeGreaterThan(2);
        assertThat(rowsOf(binary)).isEqualTo(rowsOf(text)).hasSize(20_000);
    }

    private static List<List<String>> rowsOf(List<byte[]> files) {
        List<List<String>> rows = new ArrayList<>();
        for (byte[] f : files) {
            List<List<String>> records = Exports.parse(f);
            assertThat(records.get(0)).first().isEqualTo("id");
            rows.addAll(records.subList(1, records.size()));
        }
        return rows;
    }

    /** The files of a unit, each as its uncompressed bytes. */
    private List<byte[]> files(PostgresSource source, Unit unit, long maxFileSize, Compression compression, String prefix)
            throws Exception {
        List<byte[]> files = new ArrayList<>();
        try (source; LocalStore store = new LocalStore(dir);
                ShardWriter out = new ShardWriter(store, prefix, Format.CSV, compression, maxFileSize)) {
            source.export(unit, out);
            for (ShardFile f : out.finish()) {
                try (InputStream in = Codecs.unwrap(compression, Files.newInputStream(dir.resolve(f.path())))) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    in.transferTo(bytes);
                    files.add(bytes.toByteArray());
                }
            }
        }
        return files;
    }

    private static void assertLinesEqual(String binary, String text, String what) {
        // line by line first, so that a difference names its value
        String[] a = binary.split("\n", -1);
        String[] b = text.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            assertThat(a[i]).as("%s, line %d", what, i).isEqualTo(b[i]);
        }
        assertThat(binary).as(what).isEqualTo(text);
    }

    private String export(PostgresSource source, Unit unit, String prefix) throws Exception {
        return new String(PgTestDb.exportCsv(source, unit, dir, prefix), StandardCharsets.UTF_8);
    }
}
