package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.spillway.source.Sources;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresSourceTest {
    /** Names that break naive SQL: quotes, spaces, dots, backticks, non-ASCII, placeholders and SQL text. */
    static final List<String> HOSTILE = List.of("we\"ird", "a b.c", "back`tick", "naïve_日本", "x); DROP TABLE t; --",
            "q?mark", "Robert'); DROP TABLE students;--", "UPPER lower");

    @TempDir
    Path dir;

    @Test
    void listsTablesWithCatalogueEstimatesAndSkipsViewsUnlessAsked() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_list")) {
            db.sql("CREATE TABLE " + db.q("small") + " (id int PRIMARY KEY)",
                    "CREATE TABLE " + db.q("large") + " (id int PRIMARY KEY, t text)",
                    "INSERT INTO " + db.q("large") + " SELECT g, repeat('x', 100) FROM generate_series(1, 5000) g",
                    "ANALYZE " + db.q("large"),
                    "CREATE VIEW " + db.q("v") + " AS SELECT * FROM " + db.q("large"),
                    "CREATE MATERIALIZED VIEW " + db.q("mv") + " AS SELECT id FROM " + db.q("large"),
                    "CREATE TABLE " + db.q("parted") + " (id int PRIMARY KEY) PARTITION BY RANGE (id)",
                    "CREATE TABLE " + db.q("parted_1") + " PARTITION OF " + db.q("parted") + " FOR VALUES FROM (0) TO (100)",
                    "CREATE TABLE " + db.q("parted_2") + " PARTITION OF " + db.q("parted") + " FOR VALUES FROM (100) TO (200)",
                    "INSERT INTO " + db.q("parted") + " SELECT generate_series(0, 199)",
                    "ANALYZE " + db.q("parted"));
            try (Source source = Sources.open(db.uri())) {
                List<TableInfo> tables = source.tables();
                assertThat(tables).extracting(TableInfo::name).containsExactly("large", "parted", "small");
                TableInfo large = tables.get(0);
                assertThat(large.estimatedRows()).isEqualTo(5000);
                assertThat(large.estimatedBytes()).isGreaterThan(500_000);
                assertThat(large.columns()).extracting(c -> c.name() + " " + c.type()).containsExactly("id integer", "t text");
                // a partitioned table weighs what its partitions do: 100 rows in one 8 KiB block each
                TableInfo parted = tables.get(1);
                assertThat(parted.estimatedRows()).isEqualTo(200);
                assertThat(parted.estimatedBytes()).isEqualTo(2 * 8192);
                assertThat(source.listing()).extracting(TableInfo::name, TableInfo::estimatedRows, TableInfo::estimatedBytes)
                        .contains(tuple("parted", 200L, 2 * 8192L), tuple("large", 5000L, large.estimatedBytes()));
                assertThat(source.tables(List.of("parted"))).extracting(TableInfo::estimatedBytes).containsExactly(2 * 8192L);
            }
            try (Source source = Sources.open("jdbc:" + db.uri().replace("postgres@", "") + "&user=postgres&views=true")) {
                assertThat(source.tables()).extracting(TableInfo::name).containsExactly("large", "mv", "parted", "small", "v");
            }
            Exports.run(Exports.config(db.uri(), dir, 2, 0, 1 << 30, List.of("p*")));
            assertThat(Exports.read(dir, "parted")).hasSize(201);
        }
    }

    @Test
    void hostileNamesExportCorrectlyAndInjectNothing() throws Exception {
        try (PgTestDb db = new PgTestDb("sw \"hostile\" schema.x`; --" + Exports.unique(""), true)) {
            for (String name : HOSTILE) {
                String col = PostgresSource.ident(name);
                db.sql("CREATE TABLE " + db.q(name) + " (" + col + " bigint PRIMARY KEY, \"?\" text, \"\"\"\" text)",
                        "INSERT INTO " + db.q(name) + " SELECT g, 'v' || g, '\"' FROM generate_series(1, 300) g");
            }
            Exports.run(Exports.config(db.uri(), dir, 2, 1024, 4096, List.of()));
            for (String name : HOSTILE) {
                List<List<String>> rows = Exports.read(dir, name);
                assertThat(rows.get(0)).as(name).containsExactly(name, "?", "\"");
                assertThat(rows).as(name).hasSize(301);
                assertThat(rows.subList(1, 301)).extracting(r -> r.get(0)).doesNotHaveDuplicates();
                assertThat(Exports.manifest(dir, name).table()).isEqualTo(name);
            }
            assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + db.schema.replace("'", "''") + "'"))
                    .isEqualTo(HOSTILE.size());
        }
    }

    /** Plain tables are copied as tables; those COPY would read differently go through a SELECT, with the same rows. */
    @Test
    void everyKindOfTableExportsEveryColumnWhicheverWayCopyReadsIt() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_kinds")) {
            db.sql("CREATE TABLE " + db.q("plain") + " (a int, b boolean, c timestamptz)",
                    "CREATE TABLE " + db.q("generated") + " (a int, b int GENERATED ALWAYS AS (a * 2) STORED)",
                    "CREATE TABLE " + db.q("parted") + " (a int, b boolean) PARTITION BY RANGE (a)",
                    "CREATE TABLE " + db.q("parted_1") + " PARTITION OF " + db.q("parted") + " FOR VALUES FROM (0) TO (10)",
                    "CREATE TABLE " + db.q("parted_2") + " PARTITION OF " + db.q("parted") + " FOR VALUES FROM (10) TO (20)");
            for (String t : List.of("plain", "generated", "parted")) {
                String cols = t.equals("plain") ? "(a, b, c)" : "(a" + (t.equals("parted") ? ", b)" : ")");
                String values = t.equals("plain") ? "g, g % 2 = 0, timestamptz '2024-01-31 08:30:00.5+00'"
                        : t.equals("parted") ? "g, g % 2 = 0" : "g";
                db.sql("INSERT INTO " + db.q(t) + " " + cols + " SELECT " + values + " FROM generate_series(1, 15) g");
            }
            Exports.run(Exports.config(db.uri(), dir, 1, 0, 1 << 20, List.of("plain", "generated", "parted")));
            assertThat(Exports.read(dir, "plain")).hasSize(16).contains(List.of("a", "b", "c"),
                    List.of("2", "true", "2024-01-31T08:30:00.500000Z"), List.of("3", "false", "2024-01-31T08:30:00.500000Z"));
            assertThat(Exports.read(dir, "generated")).hasSize(16).contains(List.of("a", "b"), List.of("7", "14"));
            assertThat(Exports.read(dir, "parted")).hasSize(16).contains(List.of("a", "b"), List.of("12", "true"));
        }
    }
}
