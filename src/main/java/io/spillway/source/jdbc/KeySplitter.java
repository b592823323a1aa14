package io.spillway.source.jdbc;

import io.spillway.spi.KeyRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Cuts the keys of a column into at most {@code parts} ranges that cover every row
 * exactly once: the first range is open below and holds the NULL keys, the last is open above,
 * and each range starts where the previous one ends. So rows whose keys lie outside the
 * {@code [min, max]} seen at planning (inserted later, or a stale estimate) still land in
 * exactly one range; an estimate only changes how even the ranges are, never what they cover.
 *
 * <p>The cut points come from {@code quantiles} (sorted key values that cut the rows into about
 * equal parts, such as PostgreSQL's histogram bounds) when there are enough of them, and else
 * cut {@code [min, max]} into ranges of equal width, which assumes the keys are spread evenly.
 * Keys of other orderable types are cut at sampled key values, in the order the database gave them.
 */
public final class KeySplitter {
    private KeySplitter() {}

    public static List<KeyRange> split(String column, long min, long max, int parts, List<Long> quantiles) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, not " + parts);
        }
        TreeSet<Long> cuts = new TreeSet<>();
        List<Long> q = quantiles.stream().sorted().distinct().toList();
        if (parts > 1 && q.size() > parts) {
            for (int i = 1; i < parts; i++) {
                long cut = q.get((int) ((long) i * (q.size() - 1) / parts));
                if (cut > min && cut <= max) {
                    cuts.add(cut);
                }
            }
        } else if (max > min) {
            BigInteger lo = BigInteger.valueOf(min);
            BigInteger width = BigInteger.valueOf(max).subtract(lo).add(BigInteger.ONE);
            for (int i = 1; i < parts; i++) {
                long cut = lo.add(width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(parts))).longValueExact();
                if (cut > min) {
                    cuts.add(cut);
                }
            }
        }
        List<KeyRange> ranges = new ArrayList<>(cuts.size() + 1);
        Long from = null;
        for (Long cut : cuts) {
            ranges.add(KeyRange.integers(column, from, cut, from == null));
            from = cut;
        }
        ranges.add(KeyRange.integers(column, from, null, from == null));
        return ranges;
    }

    /**
     * Ranges of a key of any orderable type, cut at some of {@code samples}: key values in
     * ascending order as the database sorts them (its collation included), such as every n-th key
     * or sampled quantiles. At most {@code parts - 1} of them are taken, evenly spaced; a value
     * equal to the previous cut is skipped, so no range is empty by construction. The database
     * alone compares keys with bounds, so every row falls in exactly one range whatever the
     * samples are, provided they are in its order.
     */
    public static List<KeyRange> values(String column, List<String> samples, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, not " + parts);
        }
        List<String> cuts = new ArrayList<>();
        for (int i = 1; i < parts && !samples.isEmpty(); i++) {
            String cut = samples.get((int) ((long) i * samples.size() / parts));
            if (cut != null && (cuts.isEmpty() || !cuts.get(cuts.size() - 1).equals(cut))) {
                cuts.add(cut);
            }
        }
        List<KeyRange> ranges = new ArrayList<>(cuts.size() + 1);
        String from = null;
        for (String cut : cuts) {
            ranges.add(KeyRange.values(column, from, cut, from == null));
            from = cut;
        }
        ranges.add(KeyRange.values(column, from, null, from == null));
        return ranges;
    }
}
