package io.spillway.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import io.spillway.store.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every source promises (see {@link Source}), on the same two tables in each database: a
 * listing sorted by name with weights, look-up by name, a whole unit that holds every row, split
 * units that together hold every row exactly once and weigh the table, an empty table, and a clear
 * error for a database that is not there. Each source's test extends it with a live database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SourceContract {
    protected static final int ROWS = 20_000;

    private String uri;

    /** Makes a new, empty database, runs {@code statements} in it, and returns the source URI that reads it. */
    protected abstract String prepare(List<String> statements) throws Exception;

    /** A URI of this kind naming a database (or file) that does not exist. */
    protected abstract String missingUri();

    /** Drops what {@link #prepare} made. */
    protected void cleanUp() throws Exception {}

    /** Fills {@code items} with ids 1 to {@code rows}, names {@code 'item ' || id}. */
    protected String insertItems(int rows) {
        return "INSERT INTO items (id, name, amount) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s"
                + " WHERE i < " + rows + ") SELECT i, 'item ' || i, i * 0.5 FROM s";
    }

    @BeforeAll
    void makeTables() throws Exception {
        uri = prepare(List.of("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40), amount DOUBLE PRECISION)",
                "CREATE TABLE vacant (id INTEGER PRIMARY KEY, name VARCHAR(40))", insertItems(ROWS)));
    }

    @AfterAll
    void dropTables() throws Exception {
        cleanUp();
    }

    @Test
    void listsEveryTableSortedByNameWithAWeight() throws Exception {
        try (Source source = Sources.open(uri)) {
            List<TableInfo> tables = source.tables();
            assertThat(tables).extracting(TableInfo::name).containsExactly("items", "vacant");
            assertThat(item(source).estimatedBytes()).isPositive();
            assertThat(source.uri()).isNotBlank();
        }
    }

    @Test
    void theListingForPlanningHasTheSameTablesAndWeightsWithTheirColumnsOrNone() throws Exception {
        try (Source source = Sources.open(uri)) {
            List<TableInfo> full = source.tables();
            List<TableInfo> listed = source.listing();
            assertThat(listed).extracting(TableInfo::name, TableInfo::estimatedRows, TableInfo::estimatedBytes)
                    .containsExactlyElementsOf(full.stream().map(t -> org.assertj.core.groups.Tuple.tuple(t.name(),
                            t.estimatedRows(), t.estimatedBytes())).toList());
            assertThat(full).allSatisfy(t -> assertThat(t.columns()).isNotEmpty());
            for (int i = 0; i < listed.size(); i++) {
                List<?> expected = full.get(i).columns();
                assertThat(listed.get(i).columns()).satisfiesAnyOf(c -> assertThat(c).isEmpty(),
                        c -> assertThat(c).isEqualTo(expected));
            }
        }
    }

    @Test
    void looksTablesUpByNameLeavingOutThoseThatAreGone() throws Exception {
        try (Source source = Sources.open(uri)) {
            assertThat(source.tables(List.of("items", "gone"))).extracting(TableInfo::name).containsExactly("items");
        }
    }

    @Test
    void aWholeUnitHoldsEveryRowUnderAHeader() throws Exception {
        try (Source source = Sources.open(uri)) {
            List<Unit> units = source.units(item(source), 0);
            assertThat(units).hasSize(1);
            List<String> lines = export(source, units.get(0));
            assertThat(lines.get(0).toLowerCase()).isEqualTo("id,name,amount");
            assertThat(ids(lines)).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
            assertThat(lines).contains("1,item 1,0.5");
        }
    }

    @Test
    void splitUnitsHoldEveryRowExactlyOnceAndWeighTheTable() throws Exception {
        try (Source source = Sources.open(uri)) {
            TableInfo items = item(source);
            List<Unit> units = source.units(items, items.estimatedBytes() / 4);
            assertThat(units).as("units of %s", items).hasSizeGreaterThan(1);
            assertThat(units).extracting(Unit::id).doesNotHaveDuplicates();
            assertThat(units).allSatisfy(u -> assertThat(u.weight()).isPositive());
            long weight = units.stream().mapToLong(Unit::weight).sum();
            assertThat(weight).isBetween(items.estimatedBytes() / 2, items.estimatedBytes() * 2);
            List<Long> ids = new ArrayList<>();
            for (Unit u : units) {
                ids.addAll(ids(export(source, u)));
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
        }
    }

    @Test
    void anEmptyTableIsOneUnitWithNoRows() throws Exception {
        try (Source source = Sources.open(uri)) {
            TableInfo vacant = source.tables(List.of("vacant")).get(0);
            List<Unit> units = source.units(vacant, 1);
            assertThat(units).hasSize(1);
            assertThat(ids(export(source, units.get(0)))).isEmpty();
        }
    }

    @Test
    void aDatabaseThatIsNotThereIsAJobException() {
        assertThatThrownBy(() -> {
            try (Source source = Sources.open(missingUri())) {
                source.tables();
            }
        }).isInstanceOf(JobException.class).hasMessageNotContaining("Exception");
    }

    private static TableInfo item(Source source) throws Exception {
        return source.tables(List.of("items")).get(0);
    }

    /** The unit's rows as CSV lines, its files one after another. */
    private static List<String> export(Source source, Unit unit) throws Exception {
        MemoryStore store = new MemoryStore("mem://contract");
        List<String> lines = new ArrayList<>();
        try (ShardWriter out = new ShardWriter(store, "u/", Format.CSV, Compression.NONE, 1L << 30)) {
            source.export(unit, out);
            for (ShardFile f : out.finish()) {
                List<String> file = new String(store.read(f.path()).orElseThrow(), UTF_8).lines().toList();
                if (lines.isEmpty()) {
                    lines.addAll(file);
                } else if (!file.isEmpty()) {
                    lines.addAll(file.subList(1, file.size()));
                }
            }
        }
        return lines;
    }

    private static List<Long> ids(List<String> lines) {
        return lines.stream().skip(1).map(l -> Long.parseLong(l.substring(0, l.indexOf(',') < 0 ? l.length()
                : l.indexOf(',')))).toList();
    }
}
