package io.spillway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.engine.TaskStatus;
import io.spillway.format.ShardFile;
import io.spillway.layout.Json;
import io.spillway.layout.Manifest;
import io.spillway.publish.UnitRecord;
import io.spillway.spi.Column;
import io.spillway.spi.Cursor;
import io.spillway.spi.KeyRange;
import io.spillway.spi.Unit;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every value Spillway stores reads back equal to what was written. */
class PlanJsonTest {
    private static final Instant T = Instant.parse("2026-11-27T10:15:30.123456Z");

    static <T> void roundTrip(T value, Class<T> type) {
        assertThat(Json.read(Json.write(value), type, "value")).isEqualTo(value);
    }

    @Test
    void plan() {
        roundTrip(new Plan("exec-1", T, 3, "abc", List.of(
                new Plan.Assignment(0, Unit.whole("orders", 100)),
                new Plan.Assignment(2, new Unit("events", 1, 3, KeyRange.integers("id", -5L, 1000L, false), 42)),
                new Plan.Assignment(1, new Unit("events", 0, 3, KeyRange.integers("id", null, -5L, true), 7)),
                new Plan.Assignment(1, new Unit("names", 1, 2, KeyRange.values("na\"me", "O'Brien, \u00e9", null, false), 7)))),
                Plan.class);
        roundTrip(new Plan("exec-2", T, 2, "abc", List.of(new Plan.Assignment(0, new Unit("events", 0, 2,
                KeyRange.integers("id", null, 10L, true), 5, new Cursor("at", "2024-01-01 00:00:00+00", "2024-01-02 'x'")))),
                null, List.of(new Plan.TableMarks("events", "rows=3;hash=9", "at", "2024-01-02 'x'", "exec-1", null),
                        new Plan.TableMarks("users", "rows=1;hash=2", null, null, null, "unchanged"))), Plan.class);
    }

    @Test
    void valuesWrittenBeforeMarksExistedReadWithout() {
        Plan old = new Plan("exec-1", T, 1, "abc", List.of(new Plan.Assignment(0, Unit.whole("orders", 100))));
        String json = new String(Json.write(old), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"marks\"\\s*:\\s*\\[\\s*\\]", "").replaceAll(",\\s*\"cursor\"\\s*:\\s*null", "");
        assertThat(json).doesNotContain("marks").doesNotContain("cursor");
        Plan read = Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Plan.class, "plan");
        assertThat(read).isEqualTo(old);
        assertThat(read.skipped()).isEmpty();
        Manifest m = Json.read("{\"table\":\"t\",\"execution\":\"e\",\"format\":\"csv\",\"compression\":\"none\",\"rows\":1,\"bytes\":2,\"columns\":[],\"files\":[]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), Manifest.class, "manifest");
        assertThat(m.changeMarker()).isNull();
        assertThat(m.mark()).isNull();
    }

    @Test
    void planOfAConsistentJobKeepsItsMoment() {
        roundTrip(new Plan("exec-1", T, 2, "abc", List.of(new Plan.Assignment(1, Unit.whole("orders", 100))),
                "00000003-0000001B-1", List.of()), Plan.class);
    }

    @Test
    void planWithoutAMomentReadsAsBeforeAndWritesNoMoment() {
        Plan plan = new Plan("exec-1", T, 1, "abc", List.of(new Plan.Assignment(0, Unit.whole("orders", 100))));
        String json = new String(Json.write(plan), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("moment");
        assertThat(Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Plan.class, "plan").moment())
                .isNull();
    }

    @Test
    void unitRecordManifestAndTaskStatus() {
        var columns = List.of(new Column("id", "BIGINT"), new Column("na\"me", "VARCHAR"));
        roundTrip(new UnitRecord("e", "t", 0, 1, 2, 1, "tok", List.of(new ShardFile("a/b.csv", 10, 300, "0badcafe")),
                columns, T), UnitRecord.class);
        roundTrip(new UnitRecord("e", "t", 0, 1, 2, 1, "tok", List.of(new ShardFile("a/b.csv", 10, 300, "0badcafe")),
                columns, T, 10L, T.minusSeconds(3)), UnitRecord.class);
        roundTrip(new Manifest("t/../x", "e", T, T, "csv", "gzip", 10, 300, columns,
                List.of(new Manifest.File("t_000000000000.csv.gz", 10, 300, "0badcafe"))), Manifest.class);
        roundTrip(new Manifest("t", "e", T, T, "csv", "none", 10, 300, columns,
                List.of(new Manifest.File("t_000000000000.csv", 10, 300, "0badcafe")), "rows=10;hash=1", "id", "42"),
                Manifest.class);
        roundTrip(new UnitRecord("e", "t", 0, 1, 2, 1, "tok", List.of(new ShardFile("a/0/000000.csv", 10, 300, "0badcafe",
                "region=a%2Fb")), columns, T, 10L, T), UnitRecord.class);
        roundTrip(new Manifest("t", "e", T, T, "csv", "none", 10, 300, columns,
                List.of(new Manifest.File("region=a%2Fb/t_000000000000.csv", 10, 300, "0badcafe")), null, null, null,
                "region", List.of(new Manifest.Partition("region=a%2Fb", "a/b", 10, 300, 1),
                        new Manifest.Partition("region=__HIVE_DEFAULT_PARTITION__", null, 0, 0, 0))), Manifest.class);
        roundTrip(new TaskStatus("e", 3, 7, 1, TaskStatus.State.FAILED, 4, 2, 1, 99, 1234, T, T, "boom"),
                TaskStatus.class);
    }
}
