package io.spillway.source.jdbc;

import io.spillway.plan.KeyRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Cuts the keys of an integer column into at most {@code parts} ranges that cover every row
 * exactly once: the first range is open below and holds the NULL keys, the last is open above,
 * and each range starts where the previous one ends. So rows whose keys lie outside the
 * {@code [min, max]} seen at planning (inserted later, or a stale estimate) still land in
 * exactly one range; an estimate only changes how even the ranges are, never what they cover.
 *
 * <p>The cut points come from {@code quantiles} (sorted key values that cut the rows into about
 * equal parts, such as PostgreSQL's histogram bounds) when there are enough of them, and else
 * cut {@code [min, max]} into ranges of equal width, which assumes the keys are spread evenly.
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
            ranges.add(new KeyRange(column, from, cut, from == null));
            from = cut;
        }
        ranges.add(new KeyRange(column, from, null, from == null));
        return ranges;
    }
}
