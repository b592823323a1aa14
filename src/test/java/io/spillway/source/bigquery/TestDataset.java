package io.spillway.source.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.layout.Manifest;
import io.spillway.source.bigquery.FakeBigQueryServer.Field;
import io.spillway.store.gcs.FakeGcsServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A dataset of tables t_01.. of unequal sizes in a {@link FakeBigQueryServer}, and the check that a table was exported whole. */
final class TestDataset {
    static final List<Field> SCHEMA = List.of(Field.of("id", "INTEGER"), Field.of("name", "STRING"),
            Field.of("score", "FLOAT"), Field.of("active", "BOOLEAN"), Field.of("note", "STRING"));

    final String project;
    final String dataset;
    final Map<String, List<List<Object>>> tables = new TreeMap<>();

    private TestDataset(String project, String dataset) {
        this.project = project;
        this.dataset = dataset;
    }

    /** {@code count} tables with 0 to ~350 rows, some of them 0, in location US. */
    static TestDataset create(FakeBigQueryServer bq, String project, String dataset, int count) {
        TestDataset d = new TestDataset(project, dataset);
        bq.createDataset(project, dataset, "US");
        for (int i = 1; i <= count; i++) {
            String name = String.format("t_%02d", i);
            List<List<Object>> rows = rows(i % 7 == 0 ? 0 : (i * 7919) % 350 + 1, i);
            bq.createTable(project, dataset, name, SCHEMA, rows);
            d.tables.put(name, rows);
        }
        return d;
    }

    static List<List<Object>> rows(int count, int seed) {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 1; r <= count; r++) {
            String note = switch (r % 4) {
                case 0 -> "said \"hi\", then left";
                case 1 -> "line one\nline two";
                case 2 -> null;
                default -> "plain " + seed;
            };
            rows.add(new ArrayList<>(java.util.Arrays.asList((long) r, "name_" + r, r * 1.5, r % 2 == 0, note)));
        }
        return rows;
    }

    /** The published CSV files of {@code table} under {@code prefix} ("" for the bucket's root) hold its rows, once each, and the manifest says so. */
    void assertExported(FakeGcsServer gcs, String bucket, String prefix, String table) throws Exception {
        assertExported(gcs, bucket, prefix, table, true);
    }

    /** As above; {@code rowsKnown} false when the table changed after it was read, so its manifest cannot count it. */
    void assertExported(FakeGcsServer gcs, String bucket, String prefix, String table, boolean rowsKnown)
            throws Exception {
        String dir = (prefix.isEmpty() ? "" : prefix + "/") + Layout.tableDir(table);
        Manifest m = Json.read(gcs.get(bucket, dir + Layout.MANIFEST).orElseThrow(
                () -> new AssertionError("no manifest for " + table)), Manifest.class, "manifest");
        List<List<String>> read = new ArrayList<>();
        for (Manifest.File f : m.files()) {
            String text = new String(gcs.get(bucket, dir + f.name()).orElseThrow(), StandardCharsets.UTF_8);
            boolean header = true;
            for (CsvRecord record : CsvReader.builder().ofCsvRecord(text)) {
                if (header) {
                    assertThat(record.getFields()).containsExactly("id", "name", "score", "active", "note");
                    header = false;
                } else {
                    read.add(record.getFields());
                }
            }
        }
        List<List<String>> expected = tables.get(table).stream()
                .map(r -> r.stream().map(v -> v == null ? "" : String.valueOf(v)).toList()).toList();
        assertThat(read).as("rows of %s", table).containsExactlyElementsOf(expected);
        assertThat(m.rows()).as("manifest rows of %s", table).isEqualTo(rowsKnown ? expected.size() : -1);
        assertThat(m.table()).isEqualTo(table);
        List<String> files = new ArrayList<>(m.files().stream().map(f -> dir + f.name()).toList());
        files.add(dir + Layout.MANIFEST);
        assertThat(gcs.names(bucket, dir)).as("objects in the folder of %s", table).containsExactlyInAnyOrderElementsOf(files);
    }
}
