package io.spillway.spi;

import java.util.Objects;

/**
 * Rows of a table whose key lies in {@code [from, to)}; a null bound is open. The unit that holds
 * the NULL keys says so with {@code nulls}, so every row is in exactly one range.
 *
 * <p>An integer key ({@code integer}) has decimal integer bounds, compared as numbers. Any other
 * orderable key (text, dates, timestamps, uuid, numeric) has bounds in the database's own text
 * form of the key's values, which the database casts back to the key's type and compares in its
 * own order (collation included). That order is the only one that decides what a range holds, so
 * the bounds of such keys are only ever compared by the database that produced them.
 */
public record KeyRange(String column, String from, String to, boolean nulls, boolean integer) {
    public KeyRange {
        Objects.requireNonNull(column, "column is null");
        if (integer) {
            Long lo = parse(from);
            Long hi = parse(to);
            if (lo != null && hi != null && lo >= hi) {
                throw new IllegalArgumentException("empty range [" + from + ", " + to + ")");
            }
        }
    }

    /** A range of an integer key. */
    public static KeyRange integers(String column, Long from, Long to, boolean nulls) {
        return new KeyRange(column, from == null ? null : from.toString(), to == null ? null : to.toString(), nulls, true);
    }

    /** A range of another orderable key, its bounds in the database's text form of the key's values. */
    public static KeyRange values(String column, String from, String to, boolean nulls) {
        return new KeyRange(column, from, to, nulls, false);
    }

    /** The lower bound of an integer key, or null when open. */
    public Long fromInteger() {
        return parse(integerBound(from));
    }

    /** The upper bound of an integer key, or null when open. */
    public Long toInteger() {
        return parse(integerBound(to));
    }

    private String integerBound(String bound) {
        if (!integer) {
            throw new IllegalStateException("the key " + column + " is not an integer");
        }
        return bound;
    }

    private static Long parse(String bound) {
        if (bound == null) {
            return null;
        }
        try {
            return Long.parseLong(bound);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an integer key's bound is not an integer: " + bound);
        }
    }
}
