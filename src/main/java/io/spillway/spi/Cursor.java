package io.spillway.spi;

import java.util.Objects;

/**
 * The rows of an incremental export: those whose {@code column} is above {@code after} and at most
 * {@code upTo}, both in the database's own text form of the column's values, which the database casts
 * back to the column's type and compares in its own order. {@code after} is null for the first export
 * of a table, which also takes the rows whose cursor is NULL; later increments never do.
 *
 * <p>{@code upTo} is the column's largest value when the job was planned, so every task reads the same
 * range and rows written during the export wait for the next increment.
 */
public record Cursor(String column, String after, String upTo) {
    public Cursor {
        Objects.requireNonNull(column, "column is null");
        Objects.requireNonNull(upTo, "upTo is null");
    }

    /** The condition on the already quoted column, each bound rendered by {@code literal} (which must quote it). */
    public String predicate(String quotedColumn, java.util.function.UnaryOperator<String> literal) {
        String upper = quotedColumn + " <= " + literal.apply(upTo);
        return after == null ? "(" + upper + " OR " + quotedColumn + " IS NULL)"
                : "(" + quotedColumn + " > " + literal.apply(after) + " AND " + upper + ")";
    }
}
