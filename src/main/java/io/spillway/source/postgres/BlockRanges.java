package io.spillway.source.postgres;

import io.spillway.spi.KeyRange;
import io.spillway.spi.TableInfo;
import io.spillway.spi.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ranges of a table's physical blocks, for tables without a key to cut them by: each range is a
 * {@link KeyRange} of the system column {@code ctid} (no user column can take that name), its
 * bounds the text form of the tid {@code (BLOCK,0)}, the first tuple of a block. So the plan
 * stores them as it stores any other key range, and a range holds the rows of blocks
 * {@code [from, to)}.
 *
 * <p>The first range is open below and the last open above: a row appended after planning lands
 * in a block at or past the last cut (the table grows at its end, or fills free space in blocks
 * it has), so it is in exactly one range, as every other row is. ctid is never NULL, so no range
 * holds NULLs. The cuts assume rows spread evenly over the blocks; dead or empty blocks make some
 * ranges smaller, never wrong.
 */
final class BlockRanges {
    static final String COLUMN = "ctid";
    /** As for key ranges: more ranges than this gain nothing and make the plan large. */
    static final int MAX_RANGES = 10_000;
    private static final Pattern BOUND = Pattern.compile("\\((\\d{1,10}),0\\)");

    private BlockRanges() {}

    /**
     * The units of a table of {@code blocks} blocks: ⌈size / splitSize⌉ ranges of its blocks (at
     * most {@link #MAX_RANGES}, and no more than it has blocks), each weighed at size / ranges, the
     * size being all the table's bytes (TOAST included); the whole table where that is one range.
     */
    static List<Unit> units(TableInfo table, long splitSize, long blocks) {
        int parts = (int) Math.min(MAX_RANGES, (table.estimatedBytes() + splitSize - 1) / splitSize);
        List<KeyRange> ranges = split(blocks, parts);
        if (ranges.size() == 1) {
            return List.of(Unit.whole(table.name(), table.estimatedBytes()));
        }
        List<Unit> units = new ArrayList<>(ranges.size());
        long weight = table.estimatedBytes() / ranges.size();
        for (int i = 0; i < ranges.size(); i++) {
            units.add(new Unit(table.name(), i, ranges.size(), ranges.get(i), weight));
        }
        return units;
    }

    /** At most {@code parts} ranges over {@code blocks} blocks (no more ranges than blocks); one open range for none. */
    static List<KeyRange> split(long blocks, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, not " + parts);
        }
        int n = (int) Math.max(1, Math.min(parts, blocks));
        List<KeyRange> ranges = new ArrayList<>(n);
        String from = null;
        for (int i = 1; i < n; i++) {
            String cut = bound(blocks * i / n);
            ranges.add(KeyRange.values(COLUMN, from, cut, false));
            from = cut;
        }
        ranges.add(KeyRange.values(COLUMN, from, null, false));
        return ranges;
    }

    static boolean isBlockRange(KeyRange range) {
        return range != null && range.column().equals(COLUMN) && !range.integer();
    }

    /**
     * The WHERE condition of a block range with its bounds written inline: each bound is read back
     * as a block number and printed from a {@code long}, so nothing from the plan but digits
     * reaches the SQL.
     */
    static String predicate(KeyRange range) {
        List<String> terms = new ArrayList<>(2);
        if (range.from() != null) {
            terms.add("ctid >= '" + bound(block(range.from())) + "'::tid");
        }
        if (range.to() != null) {
            terms.add("ctid < '" + bound(block(range.to())) + "'::tid");
        }
        return terms.isEmpty() ? "TRUE" : String.join(" AND ", terms);
    }

    static String bound(long block) {
        return "(" + block + ",0)";
    }

    /** The block number of a bound {@code (BLOCK,0)}. */
    static long block(String bound) {
        Matcher m = BOUND.matcher(bound);
        if (!m.matches()) {
            throw new IllegalArgumentException("a block range's bound is not (BLOCK,0): " + bound);
        }
        return Long.parseLong(m.group(1));
    }
}
