package io.spillway.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.source.jdbc.Exports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every MariaDB type exports to its documented text form and loads back with LOAD DATA to the same values. */
class MySqlRoundTripTest {
    /** Column, type, and the LOAD DATA conversion of its text (@ is the loaded text) where it is not the text itself. */
    private static final String[][] COLUMNS = {
        {"ti", "TINYINT", null}, {"bo", "BOOLEAN", null}, {"si", "SMALLINT", null}, {"mi", "MEDIUMINT", null},
        {"i", "INT", null}, {"iu", "INT UNSIGNED", null}, {"bi", "BIGINT", null}, {"bu", "BIGINT UNSIGNED", null},
        {"de", "DECIMAL(65,30)", null}, {"fl", "FLOAT", null}, {"db", "DOUBLE", null},
        {"b1", "BIT(1)", "IF(@ IS NULL, NULL, @ = 'true')"}, {"b5", "BIT(5)", "CONV(@, 2, 10) + 0"},
        {"d", "DATE", null}, {"dt", "DATETIME(6)", "REPLACE(@, 'T', ' ')"},
        {"ts", "TIMESTAMP(6) NULL DEFAULT NULL", "REPLACE(REPLACE(@, 'T', ' '), 'Z', '')"}, {"t", "TIME(6)", null},
        {"y", "YEAR", null}, {"c", "CHAR(10)", null}, {"vc", "VARCHAR(200)", null}, {"tx", "TEXT", null},
        {"bin", "VARBINARY(20)", "FROM_BASE64(@)"}, {"bl", "BLOB", "FROM_BASE64(@)"}, {"e", "ENUM('a','b c')", null},
        {"st", "SET('x','y')", null}, {"j", "JSON", null},
    };
    private static final String[] ROWS = {
        "1, -128, 1, -32768, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,"
            + " 12345678901234567890123456789012345.123456789012345678901234567890, 1.1, 0.1, b'1', b'10101',"
            + " '2024-02-29', '2024-01-31 08:30:00.123456', '2024-03-31 01:30:00.5', '-838:59:59', 2024, 'char',"
            + " 'quote \" comma , cr \\r lf \\n tab \\t emoji \\U+1F600 😀 backslash \\\\ end', 'text', x'00ff10', x'',"
            + " 'b c', 'x,y', '{\"a\": [1, 2, \"x\"]}'",
        "2, 127, 0, 32767, 8388607, 2147483647, 0, 9223372036854775807, 0, -0.000000000000000000000000000001,"
            + " 3.4e38, 1e-300, b'0', b'00000', '1000-01-01', '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01',"
            + " '23:59:59.999999', 1901, '', '', '', x'', NULL, 'a', '', 'null'",
        "3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL",
    };

    @TempDir
    Path dir;

    @Test
    void everyValueLoadsBackWithLoadData() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_types")) {
            create(db, "types");
            for (String row : ROWS) {
                db.sql("INSERT INTO " + db.q("types") + " VALUES (" + row + ")");
            }
            Exports.run(Exports.config(db.uri(), dir, 1, 0, 1 << 30, List.of()));
            create(db, "landing");
            Path tsv = dir.resolve("types.tsv");
            Files.write(tsv, tsv(Exports.read(dir, "types")));
            List<String> targets = new ArrayList<>(List.of("id"));
            List<String> sets = new ArrayList<>();
            for (String[] c : COLUMNS) {
                targets.add(c[2] == null ? c[0] : "@" + c[0]);
                if (c[2] != null) {
                    sets.add(c[0] + " = " + c[2].replace("@", "@" + c[0]));
                }
            }
            db.sql("LOAD DATA LOCAL INFILE '" + tsv + "' INTO TABLE " + db.q("landing") + " CHARACTER SET utf8mb4"
                    + " FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' IGNORE 1 LINES ("
                    + String.join(", ", targets) + ") SET " + String.join(", ", sets));
            List<String> same = new ArrayList<>();
            for (String[] c : COLUMNS) {
                same.add("o." + c[0] + " <=> l." + c[0]);
            }
            assertThat(db.count("SELECT count(*) FROM " + db.q("landing"))).isEqualTo(ROWS.length);
            assertThat(db.count("SELECT count(*) FROM " + db.q("types") + " o LEFT JOIN " + db.q("landing")
                    + " l ON o.id = l.id WHERE NOT (" + String.join(" AND ", same) + ")")).isZero();

            Map<String, String> first = row(Exports.read(dir, "types"), 0);
            assertThat(first).containsEntry("bo", "1").containsEntry("b1", "true").containsEntry("b5", "10101")
                    .containsEntry("bu", "18446744073709551615").containsEntry("fl", "1.1").containsEntry("db", "0.1")
                    .containsEntry("dt", "2024-01-31T08:30:00.123456").containsEntry("ts", "2024-03-31T01:30:00.500000Z")
                    .containsEntry("t", "-838:59:59.000000").containsEntry("bin", "AP8Q").containsEntry("bl", "")
                    .containsEntry("st", "x,y").containsEntry("d", "2024-02-29");
            assertThat(row(Exports.read(dir, "types"), 1)).containsEntry("vc", "").containsEntry("bl", null)
                    .containsEntry("t", "23:59:59.999999").containsEntry("b1", "false");
        }
    }

    private static void create(MyTestDb db, String table) throws Exception {
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + db.q(table) + " (id INT PRIMARY KEY");
        for (String[] c : COLUMNS) {
            ddl.append(", ").append(c[0]).append(' ').append(c[1]);
        }
        db.sql(ddl + ") CHARACTER SET utf8mb4");
    }

    /** The records in LOAD DATA's own escaped, tab-separated form, where \N is NULL: CSV cannot tell NULL from '' to it. */
    private static byte[] tsv(List<List<String>> records) {
        StringBuilder sb = new StringBuilder();
        for (List<String> r : records) {
            for (int i = 0; i < r.size(); i++) {
                String v = r.get(i);
                sb.append(i > 0 ? "\t" : "").append(v == null ? "\\N" : v.replace("\\", "\\\\").replace("\t", "\\t")
                        .replace("\n", "\\n").replace("\r", "\\r"));
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
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
