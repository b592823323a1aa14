package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.layout.Json;
import io.spillway.spi.KeyRange;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockRangesTest {

    @Test
    void rangesCoverEveryBlockOnceOpenAtBothEnds() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            long blocks = random.nextInt(4) == 0 ? random.nextInt(5) : random.nextLong(1, 0xFFFF_FFFEL);
            int parts = 1 + random.nextInt(50);
            List<KeyRange> ranges = BlockRanges.split(blocks, parts);

            assertThat(ranges).hasSizeBetween(1, (int) Math.max(1, Math.min(parts, blocks)));
            assertThat(ranges.get(0).from()).isNull();
            assertThat(ranges.get(ranges.size() - 1).to()).isNull();
            assertThat(ranges).allMatch(r -> BlockRanges.isBlockRange(r) && !r.nulls());
            for (int i = 1; i < ranges.size(); i++) {
                assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to());
                if (i > 1) {
                    assertThat(BlockRanges.block(ranges.get(i).from())).isGreaterThan(BlockRanges.block(ranges.get(i - 1).from()));
                }
            }
        }
    }

    @Test
    void predicateNamesBlocksAndLetsOnlyDigitsThrough() {
        List<KeyRange> ranges = BlockRanges.split(100, 4);

        assertThat(ranges).extracting(BlockRanges::predicate).containsExactly(
                "ctid < '(25,0)'::tid",
                "ctid >= '(25,0)'::tid AND ctid < '(50,0)'::tid",
                "ctid >= '(50,0)'::tid AND ctid < '(75,0)'::tid",
                "ctid >= '(75,0)'::tid");
        assertThatThrownBy(() -> BlockRanges.predicate(KeyRange.values("ctid", "(1,0)'::tid OR TRUE --", null, false)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BlockRanges.isBlockRange(KeyRange.integers("ctid", 1L, 2L, false))).isFalse();
        assertThat(BlockRanges.isBlockRange(KeyRange.values("id", "a", null, true))).isFalse();
    }

    @Test
    void unitsAreNumberedInOrderAndWeighedAtTheTablesWholeSize() {
        TableInfo table = new TableInfo("t", 1000, 100_000_000, List.of());

        List<Unit> units = BlockRanges.units(table, 30_000_000, 12);
        assertThat(units).extracting(Unit::part).containsExactly(0, 1, 2, 3);
        assertThat(units).allMatch(u -> u.parts() == 4 && u.weight() == 25_000_000 && u.table().equals("t"));
        assertThat(BlockRanges.units(table, 30_000_000, 1)).containsExactly(Unit.whole("t", 100_000_000));
        assertThat(BlockRanges.units(table, 1, 1L << 31)).hasSize(BlockRanges.MAX_RANGES);
    }

    @Test
    void aUnitOfBlocksRoundTripsAsJson() {
        Unit unit = new Unit("t", 1, 3, BlockRanges.split(300, 3).get(1), 1234);

        assertThat(Json.read(Json.write(unit), Unit.class, "unit")).isEqualTo(unit);
    }
}
