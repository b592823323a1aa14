package io.spillway.spi;

import java.util.Objects;

/**
 * The smallest piece of work: a whole table ({@code parts == 1}) or part {@code part} of
 * {@code parts} key ranges of it. Its id is deterministic, so a retry redoes exactly its own work.
 * {@code cursor}, null but for incremental exports, narrows it to the rows past a table's mark.
 */
public record Unit(String table, int part, int parts, KeyRange range, long weight, Cursor cursor) {
    public Unit {
        Objects.requireNonNull(table, "table is null");
        if (part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts);
        }
        if (parts > 1 && range == null) {
            throw new IllegalArgumentException("a split unit needs a key range");
        }
        weight = Math.max(1, weight);
    }

    public Unit(String table, int part, int parts, KeyRange range, long weight) {
        this(table, part, parts, range, weight, null);
    }

    public Unit withCursor(Cursor cursor) {
        return new Unit(table, part, parts, range, weight, cursor);
    }

    public static Unit whole(String table, long weight) {
        return new Unit(table, 0, 1, null, weight);
    }

    public String id() {
        return parts == 1 ? table : table + " (part " + (part + 1) + " of " + parts + ")";
    }
}
