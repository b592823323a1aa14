package io.spillway.plan;

import java.util.Objects;

/**
 * Rows of a table whose integer key lies in {@code [from, to)}; a null bound is open. The unit
 * that holds the NULL keys says so with {@code nulls}, so every row is in exactly one range.
 */
public record KeyRange(String column, Long from, Long to, boolean nulls) {
    public KeyRange {
        Objects.requireNonNull(column, "column is null");
        if (from != null && to != null && from >= to) {
            throw new IllegalArgumentException("empty range [" + from + ", " + to + ")");
        }
    }
}
