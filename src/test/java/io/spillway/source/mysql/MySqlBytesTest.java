package io.spillway.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.config.JobConfig;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte-level path ({@code rows=bytes}, the default) writes the CSV and JSON lines that the typed
 * path ({@code rows=typed}: the driver's Java values through {@code format}) writes: every MariaDB type,
 * hostile text, random doubles and floats, values split over files.
 */
class MySqlBytesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] COLUMNS = {
        {"ti", "TINYINT"}, {"bo", "BOOLEAN"}, {"si", "SMALLINT"}, {"mi", "MEDIUMINT"}, {"i", "INT"},
        {"iu", "INT UNSIGNED"}, {"iz", "INT(6) ZEROFILL"}, {"bi", "BIGINT"}, {"bu", "BIGINT UNSIGNED"},
        {"de", "DECIMAL(65,30)"}, {"d2", "DECIMAL(10,2)"}, {"fl", "FLOAT"}, {"db", "DOUBLE"}, {"df", "DOUBLE(10,2)"},
        {"ff", "FLOAT(7,3)"}, {"b1", "BIT(1)"}, {"b5", "BIT(5)"}, {"b64", "BIT(64)"}, {"d", "DATE"},
        {"dt", "DATETIME"}, {"dt3", "DATETIME(3)"}, {"dt6", "DATETIME(6)"}, {"ts", "TIMESTAMP(6) NULL DEFAULT NULL"},
        {"t", "TIME"}, {"t6", "TIME(6)"}, {"y", "YEAR"}, {"c", "CHAR(10)"}, {"vc", "VARCHAR(200)"}, {"tx", "TEXT"},
        {"lt", "LONGTEXT"}, {"bin", "VARBINARY(20)"}, {"bl", "BLOB"}, {"lb", "LONGBLOB"}, {"e", "ENUM('a','b c')"},
        {"st", "SET('x','y')"}, {"j", "JSON"}, {"g", "POINT"}, {"u", "UUID"}, {"ip", "INET6"},
    };
    private static final String[] ROWS = {
        "1, -128, 1, -32768, -8388608, -2147483648, 4294967295, 42, -9223372036854775808, 18446744073709551615,"
            + " 12345678901234567890123456789012345.123456789012345678901234567890, -0.05, 1.1, 0.1, 1.005, 3.14159,"
            + " b'1', b'10101', b'1000000000000000000000000000000000000000000000000000000000000001', '2024-02-29',"
            + " '2024-01-31 08:30:00', '2024-01-31 08:30:00.1', '2024-01-31 08:30:00.123456', '2024-03-31 01:30:00.5',"
            + " '-838:59:59', '23:59:59.999999', 2024, '#hash', 'quote \" comma , cr \\r lf \\n tab \\t nul \\0 end',"
            + " 'emoji 😀 naïve 日本 backslash \\\\ \\\\N', REPEAT('long ', 20000), x'00ff10', x'ff80c0fe', x'00',"
            + " 'b c', 'x,y', '{\"a\": [1, 2, \"x\"], \"s\": \"q\\\\\"\"}', POINT(1.5, -2), UUID(), '2001:db8::1'",
        "2, 127, 0, 32767, 8388607, 2147483647, 0, 0, 9223372036854775807, 0, -0.000000000000000000000000000001, 0,"
            + " 3.4e38, 1e-300, -0.0, -0.0, b'0', b'00000', b'0', '1000-01-01', '9999-12-31 23:59:59',"
            + " '1970-01-01 00:00:00.999', '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01', '00:00:00', '838:59:59',"
            + " 1901, '', '', '', '', '', x'', '', 'a', '', 'null', NULL, '00000000-0000-0000-0000-000000000000', '::'",
        "3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL",
        "4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1e7, 1e-3, 9999999.99, 0.001, b'1', b'11111',"
            + " b'1111111111111111111111111111111111111111111111111111111111111111', '0000-00-00', '0000-00-00 00:00:00',"
            + " '2024-00-00 00:00:00.000', '2023-02-31 10:00:00', NULL, '-00:00:01', '-00:00:00.5', 0, ' x ', ',', '\"',"
            + " '\\r\\n', x'efbfbd', x'c328', x'80', 'a', 'x', '[]', NULL, NULL, NULL",
    };

    @TempDir
    Path dir;

    @Test
    void writesWhatTheTypedPathWritesForEveryType() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes")) {
            db.sql("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
            StringBuilder ddl = new StringBuilder("CREATE TABLE " + db.q("types") + " (id INT PRIMARY KEY");
            for (String[] c : COLUMNS) {
                ddl.append(", ").append(c[0]).append(' ').append(c[1]);
            }
            db.sql(ddl + ") CHARACTER SET utf8mb4");
            for (String row : ROWS) {
                db.sql("INSERT INTO " + db.q("types") + " VALUES (" + row + ")");
            }
            assertSame(db, "types", 1 << 30);
            // a date-time or time without a fraction as the last field: nothing after it in the packet
            db.sql("CREATE TABLE " + db.q("last") + " (id INT PRIMARY KEY, t TIME, dt DATETIME)",
                    "INSERT INTO " + db.q("last") + " VALUES (1, '08:30:00', '2024-01-31 08:30:00'), (2, NULL, NULL)");
            assertSame(db, "last", 1 << 30);
            // server-side prepared statements read the binary protocol: the getters, and the same CSV
            assertSame(db, "types", 1 << 30, "?useServerPrepStmts=true");
        }
    }

    @Test
    void writesWhatTheTypedPathWritesForHostileTextAndRandomNumbers() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes")) {
            // no key: the first column is text, where a leading '#' is quoted
            db.sql("CREATE TABLE " + db.q("hostile") + " (t TEXT, x DOUBLE, f FLOAT, b BLOB, n INT) CHARACTER SET utf8mb4");
            List<String> texts = List.of("#", "#x", "", " ", "\"", "\"\"", ",", "a,b", "\n", "\r", "\r\n", "a\0b", "\\",
                    "\\N", "NULL", "tab\there", "naïve 日本 😀", "e\u0301", "'", "`", "x".repeat(300), "ab\"c\"d,e\nf");
            Random random = new Random(42);
            try (PreparedStatement s = db.connection.prepareStatement("INSERT INTO " + db.q("hostile") + " VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 3000; i++) {
                    s.setString(1, i < texts.size() ? texts.get(i) : i % 7 == 0 ? null : Integer.toString(i, 36));
                    double x = switch (i % 4) {
                        case 0 -> Double.longBitsToDouble(random.nextLong());
                        case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                        case 2 -> Math.round(random.nextDouble() * 1e6) / 100.0;
                        default -> random.nextInt(20_000_000) - 10_000_000;
                    };
                    if (Double.isNaN(x) || Double.isInfinite(x)) {
                        s.setNull(2, java.sql.Types.DOUBLE);
                    } else {
                        s.setDouble(2, x);
                    }
                    float f = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) (random.nextGaussian() * 1e4);
                    if (Float.isNaN(f) || Float.isInfinite(f)) {
                        s.setNull(3, java.sql.Types.FLOAT);
                    } else {
                        s.setFloat(3, f);
                    }
                    byte[] b = new byte[random.nextInt(8)];
                    random.nextBytes(b); // invalid UTF-8 as often as not
                    s.setBytes(4, i % 5 == 0 ? null : b);
                    s.setInt(5, i);
                    s.addBatch();
                }
                s.executeBatch();
            }
            assertSame(db, "hostile", 1 << 30);
            assertSame(db, "hostile", 16 << 10); // rows across many files: the same cuts
        }
    }

    @Test
    void theBinaryProtocolWritesWhatTheTextProtocolWritesByteForByte() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes")) {
            db.sql("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
            // every type the binary protocol is read for (BinaryRows.wire), at its edges
            db.sql("CREATE TABLE " + db.q("bin") + " (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, bo BOOLEAN,"
                    + " si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,"
                    + " bi BIGINT, bu BIGINT UNSIGNED, de DECIMAL(65,30), d2 DECIMAL(10,2), db DOUBLE, b1 BIT(1), b64 BIT(64),"
                    + " d DATE, dt DATETIME, dt1 DATETIME(1), dt3 DATETIME(3), dt6 DATETIME(6), ts TIMESTAMP NULL DEFAULT NULL,"
                    + " ts6 TIMESTAMP(6) NULL DEFAULT NULL, c CHAR(10), vc VARCHAR(200), tx TEXT, bin VARBINARY(20), bl BLOB,"
                    + " e ENUM('a','b c'), st SET('x','y'), j JSON) CHARACTER SET utf8mb4");
            db.sql("INSERT INTO " + db.q("bin") + " VALUES"
                    + " (1, -128, 255, 1, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808,"
                    + " 18446744073709551615, -12345678901234567890123456789012345.123456789012345678901234567890, -0.05,"
                    + " 4.9e-324, b'1', b'1000000000000000000000000000000000000000000000000000000000000001', '2024-02-29',"
                    + " '2024-01-31 08:30:00', '2024-01-31 08:30:00.1', '2024-01-31 08:30:00.007', '2024-01-31 08:30:00.000001',"
                    + " '2024-03-31 01:30:00', '2038-01-19 03:14:07.999999', '#hash', 'quote \" comma , cr \\r lf \\n',"
                    + " 'emoji 😀 naïve 日本', x'00ff10', x'ff80c0fe', 'b c', 'x,y', '{\"a\": [1, 2]}'),"
                    + " (2, 127, 0, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 0, 0, -0.0, b'0', b'0',"
                    + " '1000-01-01', '9999-12-31 23:59:59', '9999-12-31 23:59:59.9', '1000-01-01 00:00:00.999',"
                    + " '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01', '1970-01-01 00:00:01.000001', '', '', '', x'', '',"
                    + " 'a', '', 'null'),"
                    + " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                    + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                    + " (4, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1e23, b'1', b'0', '0000-00-00', '0000-00-00 00:00:00',"
                    + " '0000-00-00 00:00:00.0', '2024-00-00 00:00:00.000', '2023-02-31 10:00:00.5', NULL, NULL, ' x ', ',',"
                    + " '\"', x'efbfbd', x'c328', 'a', 'x', '[]')");
            // doubles: random bits, every scale, few-bit subnormals, and the usual suspects
            db.sql("CREATE TABLE " + db.q("doubles") + " (id INT PRIMARY KEY, x DOUBLE, n BIGINT UNSIGNED)");
            double[] named = {Double.MIN_VALUE, 2 * Double.MIN_VALUE, 3 * Double.MIN_VALUE, 1e-310, -1e-320, 9.9e-324,
                Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e23, 8.41e21, 5e-324, 0.1 + 0.2, 1e7, 9999999.999,
                1e-3, 0.00099999, 123456789012345678.0, 2e-7, 1.0, 100, 1e15, 1e16, 1e17, 1e-15, 1e-16, Math.PI, -0.0};
            Random random = new Random(7);
            try (PreparedStatement s = db.connection.prepareStatement("INSERT INTO " + db.q("doubles") + " VALUES (?, ?, ?)")) {
                for (int i = 0; i < 40_000; i++) {
                    double x = i < named.length ? named[i] : switch (i % 4) {
                        case 0 -> Double.longBitsToDouble(random.nextLong());
                        case 1 -> Double.longBitsToDouble(random.nextLong() >>> 1 >>> random.nextInt(12)); // small exponents
                        case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(60) - 30);
                        default -> Math.round(random.nextDouble() * 1e6) / 100.0;
                    };
                    s.setInt(1, i);
                    if (Double.isNaN(x) || Double.isInfinite(x)) {
                        s.setNull(2, java.sql.Types.DOUBLE);
                    } else {
                        s.setDouble(2, x);
                    }
                    s.setLong(3, random.nextLong()); // as unsigned, half beyond 2^63
                    s.addBatch();
                }
                s.executeBatch();
            }
            for (String table : List.of("bin", "doubles")) {
                long prepared = db.count("SELECT variable_value FROM information_schema.global_status"
                        + " WHERE variable_name = 'COM_STMT_PREPARE'");
                assertSameAsText(db, table, 1 << 30);
                assertThat(db.count("SELECT variable_value FROM information_schema.global_status"
                        + " WHERE variable_name = 'COM_STMT_PREPARE'")).as("read in the binary protocol").isGreaterThan(prepared);
            }
            assertSameAsText(db, "doubles", 64 << 10); // rows across many files: the same cuts
            assertSame(db, "bin", 1 << 30); // and what the typed path writes
        }
    }

    @Test
    void readsTheBinaryProtocolOnlyWhereThePreparedColumnsAreWhatTheCatalogueSaid() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes")) {
            db.sql("CREATE TABLE " + db.q("x") + " (a INT, b DOUBLE, c DATETIME(3), d DOUBLE(10,2), e BIGINT UNSIGNED, f BOOLEAN)");
            try (PreparedStatement s = db.connection.unwrap(org.mariadb.jdbc.Connection.class).prepareInternal(
                    "SELECT a, b, c, d, e, f FROM " + db.q("x"), java.sql.Statement.NO_GENERATED_KEYS,
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, true)) {
                assertThat(DriverRows.binary(s)).isTrue();
                BinaryRows.Wire[] catalogue = {BinaryRows.wire("int", "int(11)"), BinaryRows.wire("double", "double"),
                    BinaryRows.wire("datetime", "datetime(3)"), BinaryRows.Wire.DOUBLE,
                    BinaryRows.wire("bigint", "bigint(20) unsigned"), BinaryRows.wire("tinyint", "tinyint(1)")};
                assertThat(BinaryRows.wire("double", "double(10,2)")).isNull(); // fixed decimals: text protocol
                // d, a DOUBLE(10,2), comes with 2 decimals, not as a plain DOUBLE
                assertThat(BinaryRows.sentAs(catalogue, s.getMetaData())).isFalse();
                BinaryRows.Wire[] right = catalogue.clone();
                right[3] = BinaryRows.Wire.STRING; // what no fixed-size reading would take
                assertThat(BinaryRows.sentAs(right, s.getMetaData())).isFalse();
                try (PreparedStatement t = db.connection.unwrap(org.mariadb.jdbc.Connection.class).prepareInternal(
                        "SELECT a, b, c, e, f FROM " + db.q("x"), java.sql.Statement.NO_GENERATED_KEYS,
                        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, true)) {
                    BinaryRows.Wire[] five = {catalogue[0], catalogue[1], catalogue[2], catalogue[4], catalogue[5]};
                    assertThat(BinaryRows.sentAs(five, t.getMetaData())).isTrue();
                    // a column the catalogue called an INT that comes as a BIGINT, a column too many or too few
                    BinaryRows.Wire[] wrong = five.clone();
                    wrong[0] = BinaryRows.Wire.LONG;
                    assertThat(BinaryRows.sentAs(wrong, t.getMetaData())).isFalse();
                    assertThat(BinaryRows.sentAs(catalogue, t.getMetaData())).isFalse();
                    assertThat(BinaryRows.sentAs(java.util.Arrays.copyOf(five, 4), t.getMetaData())).isFalse();
                }
            }
        }
    }

    /** Exports the table in the binary protocol (the default) and in the text protocol, and compares the files byte for byte. */
    private void assertSameAsText(MyTestDb db, String table, long maxFileSize) throws Exception {
        for (Format format : List.of(Format.CSV, Format.JSONL)) {
            Path binary = Files.createTempDirectory(dir, "binary");
            Path text = Files.createTempDirectory(dir, "text");
            Exports.run(config(db.uri(), binary, format, maxFileSize, table));
            Exports.run(config(db.uri() + "?rows=text", text, format, maxFileSize, table));
            List<Manifest.File> a = Exports.manifest(binary, table).files();
            List<Manifest.File> b = Exports.manifest(text, table).files();
            assertThat(a).extracting(Manifest.File::rows).isEqualTo(b.stream().map(Manifest.File::rows).toList());
            String left = new String(concat(binary, table, a), StandardCharsets.UTF_8);
            String right = new String(concat(text, table, b), StandardCharsets.UTF_8);
            List<String> x = List.of(left.split("\n", -1));
            List<String> y = List.of(right.split("\n", -1));
            assertThat(x).hasSameSizeAs(y);
            for (int i = 0; i < x.size(); i++) {
                assertThat(x.get(i)).as(format + " line " + i).isEqualTo(y.get(i));
            }
        }
    }

    @Test
    void readsRowsPastTheDriversFetchFromItsReader() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes")) {
            // 5,000 rows come through the driver's fetch, the rest straight from its packet reader
            db.sql("CREATE TABLE " + db.q("many") + " (id INT PRIMARY KEY, h VARCHAR(40), x DOUBLE, d DATE, t DATETIME(6))",
                    "INSERT INTO " + db.q("many") + " SELECT seq, IF(seq % 11 = 0, NULL, concat(md5(seq), ',')), seq / 7,"
                            + " date '2000-01-01' + INTERVAL seq DAY, timestamp '2024-01-01 00:00:00' + INTERVAL seq * 1001"
                            + " MICROSECOND FROM seq_1_to_23456");
            assertThat(Exports.read(assertSame(db, "many", 1 << 30), "many")).hasSize(23457);
            assertSame(db, "many", 200 << 10);
            assertSame(db, "many", 1 << 30, "?useCompression=true"); // the reader decompresses: the same packets
            db.sql("CREATE TABLE " + db.q("empty") + " (id INT PRIMARY KEY, h TEXT)");
            assertThat(Exports.read(assertSame(db, "empty", 1 << 30), "empty")).containsExactly(List.of("id", "h"));
        }
    }

    @Test
    void anErrorPastTheDriversFetchIsTheDriversAndLeavesTheConnectionUsable() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes");
                java.sql.Connection killer = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/?user=root")) {
            db.sql("CREATE TABLE " + db.q("big") + " (id INT PRIMARY KEY, h CHAR(32))",
                    "INSERT INTO " + db.q("big") + " SELECT seq, md5(seq) FROM seq_1_to_300000");
            long id = db.count("SELECT connection_id()");
            long[] rows = {0};
            try (PreparedStatement s = db.connection.prepareStatement("SELECT * FROM " + db.q("big"),
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                s.setFetchSize(5000);
                try (ResultSet rs = s.executeQuery()) {
                    DriverRows raw = DriverRows.of(s, rs).orElseThrow();
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> raw.forEach((b, from, to) -> {
                        if (++rows[0] == 20_000) {
                            try (java.sql.Statement k = killer.createStatement()) {
                                k.execute("KILL QUERY " + id);
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    })).isInstanceOf(java.sql.SQLException.class).hasMessageContaining("interrupted");
                }
            }
            assertThat(rows[0]).isBetween(20_000L, 299_999L);
            assertThat(db.count("SELECT 42")).isEqualTo(42);
        }
    }

    @Test
    void readsARowOfSixteenMebibytesOrMoreFromItsPackets() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes");
                PreparedStatement s = db.connection.prepareStatement("SELECT seq, IF(seq = 3, REPEAT('x', 16777212), 'a')"
                        + " FROM seq_1_to_5", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(1); // every row after the first from the driver's reader
            List<byte[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                DriverRows.of(s, rs).orElseThrow().forEach((b, from, to) -> rows.add(java.util.Arrays.copyOfRange(b, from, to)));
            }
            assertThat(rows).extracting(r -> r.length).containsExactly(4, 4, 2 + 4 + 16777212, 4, 4);
            byte[] big = rows.get(2);
            assertThat(big[2] & 0xff).isEqualTo(0xfd); // a 3-byte length, 16777212 'x' after it
            assertThat(java.util.stream.IntStream.range(6, big.length).allMatch(i -> big[i] == 'x')).isTrue();
            assertThat(db.count("SELECT 42")).isEqualTo(42);
        }
    }

    @Test
    void refusesAnUnknownCsvPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.spillway.source.Sources.open(
                "mysql://root@127.0.0.1:3306/mysql?rows=fast")).isInstanceOf(io.spillway.spi.JobException.class)
                .hasMessageContaining("rows=bytes (the default), rows=text or rows=typed");
    }

    @Test
    void readsTheRowsOfTheDriversDefaultStatements() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_bytes");
                PreparedStatement s = db.connection.prepareStatement("SELECT 1, NULL, 'x'");
                ResultSet rs = s.executeQuery()) {
            assertThat(DriverRows.of(s, rs)).isPresent();
            List<byte[]> rows = new ArrayList<>();
            DriverRows.of(s, rs).orElseThrow().forEach((b, from, to) -> rows.add(java.util.Arrays.copyOfRange(b, from, to)));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0)).containsExactly(1, '1', 0xfb, 1, 'x');
            assertThat(rs.next()).isFalse();
        }
    }

    /** Returns where the byte path's CSV export is. */
    private Path assertSame(MyTestDb db, String table, long maxFileSize) throws Exception {
        return assertSame(db, table, maxFileSize, "");
    }

    /**
     * Exports the table both ways, as CSV and as JSON lines, and compares the files byte for byte, then
     * (where a double's digits differ) by value. Returns where the byte path's CSV export is.
     */
    private Path assertSame(MyTestDb db, String table, long maxFileSize, String options) throws Exception {
        Path csv = null;
        for (Format format : List.of(Format.CSV, Format.JSONL)) {
            Path bytes = Files.createTempDirectory(dir, "bytes");
            Path typed = Files.createTempDirectory(dir, "typed");
            Exports.run(config(db.uri() + options, bytes, format, maxFileSize, table));
            Exports.run(config(db.uri() + "?rows=typed", typed, format, maxFileSize, table));
            List<Manifest.File> a = Exports.manifest(bytes, table).files();
            List<Manifest.File> b = Exports.manifest(typed, table).files();
            assertThat(a).extracting(Manifest.File::rows).isEqualTo(b.stream().map(Manifest.File::rows).toList());
            byte[] left = concat(bytes, table, a);
            byte[] right = concat(typed, table, b);
            if (format == Format.CSV) {
                csv = bytes;
            }
            if (java.util.Arrays.equals(left, right)) {
                continue;
            }
            List<List<String>> x = format == Format.CSV ? Exports.parse(left) : lines(left);
            List<List<String>> y = format == Format.CSV ? Exports.parse(right) : lines(right);
            assertThat(x).hasSameSizeAs(y);
            // only a double may differ, in its digits, never in its value
            List<String> differences = new ArrayList<>();
            for (int r = 0; r < x.size(); r++) {
                assertThat(x.get(r)).hasSameSizeAs(y.get(r));
                for (int c = 0; c < x.get(r).size(); c++) {
                    String u = x.get(r).get(c);
                    String v = y.get(r).get(c);
                    if (u == null ? v != null : !u.equals(v)) {
                        differences.add(format + " column " + c + ": " + u + " / " + v);
                        assertThat(Double.parseDouble(u)).as(u + " / " + v).isEqualTo(Double.parseDouble(v));
                    }
                }
            }
            System.out.println("digits that differ, same values: " + differences);
        }
        return csv;
    }

    private static JobConfig config(String source, Path dest, Format format, long maxFileSize, String table) {
        return new JobConfig(source, dest.toString(), format, Compression.NONE, maxFileSize, 0, List.of(table), List.of(),
                JobConfig.Versioning.REPLACE, 1, 1, 0, Duration.ofHours(1)).validate();
    }

    /** Each line's fields as their JSON text (a string's text, a number's digits, "null" for null). */
    private static List<List<String>> lines(byte[] jsonl) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (String line : new String(jsonl, StandardCharsets.UTF_8).split("\n")) {
            List<String> fields = new ArrayList<>();
            JSON.readTree(line).properties().forEach(e -> fields.add(e.getKey() + "=" + (e.getValue().isNumber()
                    ? e.getValue().numberValue().toString() : e.getValue().toString())));
            out.add(fields.stream().map(f -> f.substring(f.indexOf('=') + 1)).toList());
        }
        return out;
    }

    private static byte[] concat(Path dest, String table, List<Manifest.File> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Manifest.File f : files) {
            out.write(Files.readAllBytes(dest.resolve(Layout.tableDir(table) + f.name())));
        }
        return out.toByteArray();
    }
}
