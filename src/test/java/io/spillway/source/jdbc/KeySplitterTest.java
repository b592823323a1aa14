package io.spillway.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.spi.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySplitterTest {

    static boolean contains(KeyRange r, Long key) {
        if (key == null) {
            return r.nulls();
        }
        return (r.from() == null || key >= r.fromInteger()) && (r.to() == null || key < r.toInteger());
    }

    @Test
    void rangesCoverEveryKeyExactlyOnceWhateverTheBoundsPartsAndQuantiles() {
        Random random = new Random(42);
        long[] edges = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        for (int trial = 0; trial < 5_000; trial++) {
            long a = random.nextInt(4) == 0 ? edges[random.nextInt(edges.length)] : random.nextLong() >> random.nextInt(64);
            long b = random.nextInt(4) == 0 ? edges[random.nextInt(edges.length)] : random.nextLong() >> random.nextInt(64);
            long min = Math.min(a, b);
            long max = Math.max(a, b);
            int parts = 1 + random.nextInt(40);
            List<Long> quantiles = new ArrayList<>();
            for (int i = random.nextInt(3) == 0 ? 0 : random.nextInt(120); i > 0; i--) {
                quantiles.add(random.nextBoolean() ? min + (long) (random.nextDouble() * ((double) max - min)) : random.nextLong());
            }
            List<KeyRange> ranges = KeySplitter.split("id", min, max, parts, quantiles);

            assertThat(ranges).hasSizeBetween(1, parts);
            assertThat(ranges.get(0).from()).isNull();
            assertThat(ranges.get(ranges.size() - 1).to()).isNull();
            assertThat(ranges.stream().filter(KeyRange::nulls)).hasSize(1);
            for (int i = 1; i < ranges.size(); i++) {
                assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to());
            }
            List<Long> keys = new ArrayList<>(List.of(min, max));
            for (long e : edges) {
                keys.add(e);
            }
            for (int i = 0; i < 50; i++) {
                keys.add(min + (long) (random.nextDouble() * ((double) max - min)));
            }
            keys.add(null);
            for (Long k : keys) {
                assertThat(ranges.stream().filter(r -> contains(r, k))).as("key %s in %s", k, ranges).hasSize(1);
            }
        }
    }

    @Test
    void withoutStatisticsRangesHaveEqualWidth() {
        assertThat(KeySplitter.split("id", 0, 999, 4, List.of())).extracting(KeyRange::fromInteger)
                .containsExactly(null, 250L, 500L, 750L);
    }

    @Test
    void quantilesFollowSkewedKeys() {
        // most keys in 1..100, a few up to a billion: equal widths would put nearly all rows in one range
        List<Long> quantiles = List.of(1L, 20L, 40L, 60L, 80L, 100L, 1_000_000_000L);
        List<KeyRange> ranges = KeySplitter.split("id", 1, 1_000_000_000L, 3, quantiles);
        assertThat(ranges).extracting(KeyRange::toInteger).containsExactly(40L, 80L, null);
    }

    @Test
    void aSingleKeyOrOnePartIsOneRange() {
        assertThat(KeySplitter.split("id", 7, 7, 10, List.of())).hasSize(1);
        assertThat(KeySplitter.split("id", 0, 100, 1, List.of())).hasSize(1);
        assertThat(KeySplitter.split("id", 0, 2, 10, List.of())).hasSize(3);
    }

    @Test
    void otherKeysAreCutAtEvenlySpacedSamplesInTheDatabasesOrderWithoutRepeats() {
        List<String> samples = List.of("b", "B", "c", "c", "c", "d", "e", "f");
        List<KeyRange> ranges = KeySplitter.values("k", samples, 4);
        // the samples are never re-sorted here: "b" before "B" is the database's (case-blind) order
        assertThat(ranges).extracting(KeyRange::from).containsExactly(null, "c", "e");
        assertThat(ranges).extracting(KeyRange::to).containsExactly("c", "e", null);
        assertThat(ranges).extracting(KeyRange::nulls).containsExactly(true, false, false);
        assertThat(ranges).noneMatch(KeyRange::integer);
        assertThat(KeySplitter.values("k", List.of(), 8)).containsExactly(KeyRange.values("k", null, null, true));
        assertThat(KeySplitter.values("k", List.of("x", "x", "x"), 3)).hasSize(2);
    }

    @Test
    void predicatesOfOtherKeysTakeTheirBoundsAsTextTheDatabaseConverts() {
        KeyRange range = KeyRange.values("k", "O'Brien", "Z", false);
        assertThat(KeyPredicate.bind(range, "`k`").sql()).isEqualTo("`k` >= ? AND `k` < ?");
        assertThat(KeyPredicate.bind(range, "`k`").params()).containsExactly("O'Brien", "Z");
        assertThat(KeyPredicate.inline(range, "\"k\"", v -> "'" + v.replace("'", "''") + "'::text").sql())
                .isEqualTo("\"k\" >= 'O''Brien'::text AND \"k\" < 'Z'::text");
    }

    @Test
    void predicatesSelectTheRangeAndTheNulls() {
        assertThat(KeyPredicate.bind(KeyRange.integers("k", null, 5L, true), "\"k\"").sql())
                .isEqualTo("(\"k\" < ?) OR \"k\" IS NULL");
        assertThat(KeyPredicate.bind(KeyRange.integers("k", 5L, 9L, false), "`k`").params()).containsExactly(5L, 9L);
        assertThat(KeyPredicate.inline(KeyRange.integers("k", -9223372036854775808L, null, false), "\"k\"", v -> "unused").sql())
                .isEqualTo("\"k\" >= -9223372036854775808");
    }
}
