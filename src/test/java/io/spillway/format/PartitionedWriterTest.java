package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.siegmar.fastcsv.reader.CsvReader;
import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.RowSink;
import io.spillway.spi.TypeDialect;
import io.spillway.store.local.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionedWriterTest {
    private static final List<Column> COLUMNS = List.of(new Column("id", "INTEGER"), new Column("k", "VARCHAR"),
            new Column("d", "DATE"));

    @TempDir
    Path dir;

    @Test
    void routesEachRowToTheFolderOfItsValueAndDropsTheColumnFromTheFiles() throws Exception {
        List<String> values = new ArrayList<>(List.of("EU", "../x", "a/b", "100%", "k=v:w", "", "ünï 🚀", "..",
                "line\nbreak", HivePath.NULL));
        values.add(null);
        Map<String, List<List<String>>> byFolder = new TreeMap<>();
        List<ShardFile> files;
        try (LocalStore store = new LocalStore(dir);
                PartitionedWriter out = new PartitionedWriter(store, "stage/", Format.CSV, Compression.NONE, 1L << 30,
                        "k", null)) {
            assertThat(out.takesRecords()).isFalse();
            assertThat(out.localFiles()).isEmpty();
            assertThat(out.bucketFiles()).isEmpty();
            RowSink rows = out.rows(COLUMNS, TypeDialect.STANDARD);
            for (int i = 0; i < 3 * values.size(); i++) {
                rows.write(new Object[] {i, values.get(i % values.size()), LocalDate.of(2024, 1, 1)});
            }
            files = out.finish();
            assertThat(out.rowCount()).isEqualTo(3L * values.size());
        }
        assertThat(files).hasSize(values.size()).allMatch(f -> f.rows() == 3);
        for (ShardFile f : files) {
            assertThat(f.partition()).doesNotContain("/").startsWith("k=");
            assertThat(Path.of(f.path()).normalize().startsWith("stage")).isTrue();
            byFolder.put(f.partition(), read(dir.resolve(f.path())));
        }
        assertThat(byFolder.keySet()).contains("k=EU", "k=..%2Fx", "k=a%2Fb", "k=100%25", "k=k%3Dv%3Aw", "k=",
                "k=ünï 🚀", "k=..", "k=line%0Abreak", "k=%5F_HIVE_DEFAULT_PARTITION__", "k=__HIVE_DEFAULT_PARTITION__");
        for (String folder : byFolder.keySet()) {
            assertThat(values).contains(HivePath.value(folder));
            assertThat(HivePath.column(folder)).isEqualTo("k");
        }
        assertThat(byFolder.get("k=a%2Fb")).containsExactly(List.of("id", "d"), List.of("2", "2024-01-01"),
                List.of("13", "2024-01-01"), List.of("24", "2024-01-01"));
    }

    @Test
    void aGranularityKeepsTheColumnAndNamesTheFolderAfterIt() throws Exception {
        List<Column> columns = List.of(new Column("id", "INTEGER"), new Column("at", "timestamptz"));
        try (LocalStore store = new LocalStore(dir);
                PartitionedWriter out = new PartitionedWriter(store, "s/", Format.CSV, Compression.NONE, 1L << 30, "at",
                        ChronoUnit.MONTHS)) {
            RowSink rows = out.rows(columns, TypeDialect.STANDARD);
            rows.write(new Object[] {1, OffsetDateTime.of(2024, 5, 31, 23, 0, 0, 0, ZoneOffset.ofHours(-2))});
            rows.write(new Object[] {2, OffsetDateTime.of(2024, 5, 2, 0, 0, 0, 0, ZoneOffset.UTC)});
            rows.write(new Object[] {3, null});
            List<ShardFile> files = out.finish();
            assertThat(files).as("cut in UTC: 23:00 at -02 is June").extracting(ShardFile::partition)
                    .containsExactlyInAnyOrder("at_month=2024-06", "at_month=2024-05", "at_month=__HIVE_DEFAULT_PARTITION__");
            assertThat(read(dir.resolve(files.get(0).path())).get(0)).containsExactly("id", "at");
        }
    }

    @Test
    void keepsFewWritersOpenAndStartsNewFilesForPartitionsItClosed() throws Exception {
        try (LocalStore store = new LocalStore(dir);
                PartitionedWriter out = new PartitionedWriter(store, "s/", Format.PARQUET, Compression.SNAPPY, 1L << 30,
                        "k", null)) {
            int limit = out.openLimit();
            assertThat(limit).isBetween(4, 64);
            RowSink rows = out.rows(COLUMNS, TypeDialect.STANDARD);
            for (int round = 0; round < 2; round++) {
                for (int p = 0; p <= limit; p++) {
                    rows.write(new Object[] {p, "p" + p, null});
                }
            }
            List<ShardFile> files = out.finish();
            assertThat(files.stream().map(ShardFile::partition).distinct()).hasSize(limit + 1);
            assertThat(files).as("each round evicts the writers of the last").hasSize(2 * (limit + 1));
            assertThat(files.stream().mapToLong(ShardFile::rows).sum()).isEqualTo(2L * (limit + 1));
        }
    }

    @Test
    void refusesAGranularityOnAColumnThatIsNoDateAndAMissingColumn() throws Exception {
        try (LocalStore store = new LocalStore(dir)) {
            assertThatThrownBy(() -> new PartitionedWriter(store, "s/", Format.CSV, Compression.NONE, 1L << 30, "id",
                    ChronoUnit.MONTHS).rows(COLUMNS, TypeDialect.STANDARD)).isInstanceOf(JobException.class)
                    .hasMessageContaining("column id is INTEGER, not a date or timestamp; drop :month");
            assertThatThrownBy(() -> new PartitionedWriter(store, "s/", Format.CSV, Compression.NONE, 1L << 30, "nope",
                    null).rows(COLUMNS, TypeDialect.STANDARD)).isInstanceOf(JobException.class)
                    .hasMessageContaining("column nope");
        }
    }

    @Test
    void anEmptyUnitHasNoFiles() throws Exception {
        try (LocalStore store = new LocalStore(dir);
                PartitionedWriter out = new PartitionedWriter(store, "s/", Format.CSV, Compression.NONE, 1L << 30, "k",
                        null)) {
            out.rows(COLUMNS, TypeDialect.STANDARD);
            assertThat(out.finish()).isEmpty();
            assertThat(out.rowCount()).isZero();
        }
    }

    @Test
    void escapesWhatHiveEscapesAndReadsItBack() {
        assertThat(HivePath.folder("a b", "x/y")).isEqualTo("a b=x%2Fy");
        assertThat(HivePath.folder("c", "\u0001#*?[]^{}\\\"'<>|")).isEqualTo("c=%01%23%2A%3F%5B%5D%5E%7B%7D%5C%22%27%3C%3E%7C");
        assertThat(HivePath.value(HivePath.folder("c", "\u0001#*?[]^{}\\\"'<>|"))).isEqualTo("\u0001#*?[]^{}\\\"'<>|");
        assertThat(HivePath.value("c=%zz")).as("not an escape: as it is").isEqualTo("%zz");
        assertThatThrownBy(() -> HivePath.folder("c", "x".repeat(300))).isInstanceOf(JobException.class)
                .hasMessageContaining("over 200 bytes");
    }

    private static List<List<String>> read(Path file) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (var reader = CsvReader.builder().ofCsvRecord(Files.readString(file))) {
            reader.forEach(r -> rows.add(r.getFields()));
        }
        return rows;
    }
}
