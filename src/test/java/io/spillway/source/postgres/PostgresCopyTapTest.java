package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Store;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A COPY's rows taken from the socket's buffer (the tap) against the same rows handed over by the
 * driver: the same bytes, whatever the row sizes; and the connection stays right after a COPY that
 * failed on the server, and a writer that failed reports its own error.
 */
class PostgresCopyTapTest {
    private static PgTestDb db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createTables() throws Exception {
        db = new PgTestDb("sw_tap");
        // rows from a few bytes to 1 MiB (four times the socket buffer), booleans and timestamps to rewrite
        db.sql("CREATE TABLE " + db.q("mixed") + " (id int PRIMARY KEY, b boolean, ts timestamptz, t text)",
                "INSERT INTO " + db.q("mixed") + " SELECT g, g % 3 = 0, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 s',"
                        + " CASE WHEN g % 5000 = 0 THEN repeat('x,\"' || g, 1 << 18) ELSE 'row ' || g END"
                        + " FROM generate_series(1, 30000) g",
                "CREATE TABLE " + db.q("plain") + " (id int, t text)",
                "INSERT INTO " + db.q("plain") + " SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                "CREATE VIEW " + db.q("fails") + " AS SELECT g, 1 / (g - 15000) AS q FROM generate_series(1, 20000) g");
    }

    @AfterAll
    static void dropTables() throws Exception {
        db.close();
    }

    @Test
    void theTapWritesExactlyWhatTheDriverHandsOverInBinaryAndInCsv() throws Exception {
        for (String table : List.of("mixed", "plain")) {
            PostgresSource source = PostgresSource.open(db.uri());
            byte[] tapped = export(source, table, "tap-" + table + "/");
            assertThat(source.tap().taken()).as("rows and header the tap took").isGreaterThanOrEqualTo(table.equals("mixed") ? 30_000 : 20_000);
            byte[] driver = export(PostgresSource.open(db.uri()).withoutTap(), table, "driver-" + table + "/");
            byte[] tappedText = export(PostgresSource.open(db.uri()).withTextCopy(), table, "tap-text-" + table + "/");
            byte[] driverText = export(PostgresSource.open(db.uri()).withTextCopy().withoutTap(), table, "driver-text-" + table + "/");
            assertThat(tapped).as(table).isEqualTo(driver).isEqualTo(tappedText).isEqualTo(driverText);
            assertThat(Exports.parse(tapped)).as(table).hasSize(table.equals("mixed") ? 30_001 : 20_001);
        }
        List<List<String>> rows = Exports.parse(export(PostgresSource.open(db.uri()), "mixed", "again/"));
        assertThat(rows.get(3)).containsExactly("3", "true", "2024-01-01T00:00:03.000000Z", "row 3");
        assertThat(rows.get(5000).get(3)).hasSize(7 * (1 << 18)).startsWith("x,\"5000x,\"5000");
    }

    @Test
    void aCopyTheServerFailsLeavesTheConnectionReadyForTheNextUnit() throws Exception {
        try (PostgresSource source = PostgresSource.open(db.uri() + "&views=true"); LocalStore store = new LocalStore(dir)) {
            try (ShardWriter out = writer(store, "fails/")) {
                assertThatThrownBy(() -> source.export(Unit.whole("fails", 1), out)).hasMessageContaining("division by zero");
            }
            try (ShardWriter out = writer(store, "plain/")) {
                source.export(Unit.whole("plain", 1), out);
                assertThat(out.finish()).extracting(ShardFile::rows).containsExactly(20_000L);
            }
        }
    }

    @Test
    void aWriterThatFailsReportsItsOwnErrorNotABrokenConnection() throws Exception {
        try (PostgresSource source = PostgresSource.open(db.uri()); LocalStore local = new LocalStore(dir)) {
            Store failing = PgTestDb.failingAtCreate(local, 3);
            try (ShardWriter out = new ShardWriter(failing, "small/", Format.CSV, Compression.NONE, 100_000)) {
                assertThatThrownBy(() -> source.export(Unit.whole("plain", 1), out))
                        .isInstanceOf(IOException.class).hasMessage("no space left on the test store");
            }
        }
    }

    private byte[] export(PostgresSource source, String table, String prefix) throws Exception {
        return PgTestDb.exportCsv(source, Unit.whole(table, 1), dir, prefix);
    }

    private static ShardWriter writer(Store store, String prefix) {
        return new ShardWriter(store, prefix, Format.CSV, Compression.NONE, 1L << 30);
    }
}
