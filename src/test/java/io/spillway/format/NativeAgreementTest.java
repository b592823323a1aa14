package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.spillway.source.duckdb.DuckDbSource;
import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.RowSink;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same values written by DuckDB's own writers (the DuckDB source) and by Spillway's row
 * writers (every other source) come out the same: equal JSON, and Parquet read back as the same types.
 */
class NativeAgreementTest {
    /** Numbers compare by value whatever their spelling (1.20, 1.2, 1.0E20, 100000000000000000000.0). */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_LONG_FOR_INTS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(false))
            .build();
    /** PostgreSQL's unbounded numeric has no DuckDB type; HUGEINT stands in for a BigInteger column, JSON for jsonb. */
    private static final List<String> LEFT_OUT = List.of("num");

    @TempDir
    Path dir;
    Path database;

    @BeforeEach
    void makeDatabase() throws Exception {
        database = dir.resolve("same.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE same AS SELECT " + columns().stream()
                    .map(col -> switch (col.name()) {
                        case "big" -> "big::HUGEINT AS big";
                        case "js" -> "js::JSON AS js";
                        default -> col.name();
                    })
                    .collect(Collectors.joining(", ")) + " FROM (" + TypedRows.expected() + ")");
        }
    }

    private static List<Column> columns() {
        return TypedRows.columns().stream().filter(c -> !LEFT_OUT.contains(c.name())).toList();
    }

    private static List<Object[]> rows() {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < TypedRows.CASES.size(); i++) {
            if (!LEFT_OUT.contains(TypedRows.CASES.get(i).name())) {
                kept.add(i);
            }
        }
        return TypedRows.rows().stream().map(r -> kept.stream().map(i -> r[i]).toArray()).toList();
    }

    private Path native_(Format format) throws Exception {
        try (DuckDbSource source = DuckDbSource.open("duckdb:" + database);
                ShardWriter out = new ShardWriter(new LocalStore(dir.resolve("native")), format + "/", format,
                        Compression.defaultFor(format), 1 << 20)) {
            source.export(Unit.whole("same", 1), out);
            return dir.resolve("native").resolve(out.finish().get(0).path());
        }
    }

    private Path rowWriter(Format format) throws Exception {
        try (ShardWriter out = new ShardWriter(new LocalStore(dir.resolve("rows")), format + "/", format,
                Compression.defaultFor(format), 1 << 20)) {
            RowSink writer = out.rows(columns());
            for (Object[] row : rows()) {
                writer.write(row);
            }
            return dir.resolve("rows").resolve(out.finish().get(0).path());
        }
    }

    @Test
    void jsonLinesFromDuckDbAndFromTheRowWriterAreTheSameJson() throws Exception {
        List<String> fromDuckDb = Files.readAllLines(native_(Format.JSONL));
        List<String> fromRows = Files.readAllLines(rowWriter(Format.JSONL));

        assertThat(fromDuckDb).hasSameSizeAs(fromRows);
        for (int i = 0; i < fromRows.size(); i++) {
            JsonNode duck = JSON.readTree(fromDuckDb.get(i));
            JsonNode rows = JSON.readTree(fromRows.get(i));
            List<String> differing = new ArrayList<>();
            for (Iterator<String> names = rows.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!rows.get(name).equals(duck.get(name))) {
                    differing.add(name + ": rows " + rows.get(name) + " vs DuckDB " + duck.get(name));
                }
            }
            assertThat(differing).as("line %d", i + 1).isEmpty();
            assertThat(duck.size()).isEqualTo(rows.size());
        }
    }

    @Test
    void parquetFromDuckDbAndFromTheRowWriterReadBackAsTheSameTypesAndValues() throws Exception {
        String duck = TestDuckDb.literal(native_(Format.PARQUET));
        String rows = TestDuckDb.literal(rowWriter(Format.PARQUET));

        try (TestDuckDb db = new TestDuckDb()) {
            Map<Object, Object> duckTypes = types(db, duck);
            Map<Object, Object> rowTypes = types(db, rows);
            assertThat(rowTypes).isEqualTo(duckTypes);
            assertThat(db.rows("SELECT * FROM read_parquet(" + rows + ") EXCEPT ALL SELECT * FROM read_parquet(" + duck + ")"))
                    .isEmpty();
            assertThat(db.rows("SELECT * FROM read_parquet(" + duck + ") EXCEPT ALL SELECT * FROM read_parquet(" + rows + ")"))
                    .isEmpty();
        }
    }

    private static Map<Object, Object> types(TestDuckDb db, String file) throws Exception {
        return db.rows("DESCRIBE SELECT * FROM read_parquet(" + file + ")").stream()
                .collect(Collectors.toMap(r -> r.get(0), r -> r.get(1)));
    }
}
