package io.spillway.source.jdbc;

import io.spillway.plan.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The WHERE condition that selects one key range: {@code sql} with its bounds as {@code params}
 * in order. The column arrives already quoted by the dialect; the bounds are typed longs.
 */
public record KeyPredicate(String sql, List<Long> params) {
    public KeyPredicate {
        Objects.requireNonNull(sql, "sql is null");
        params = List.copyOf(params);
    }

    /** The condition with '?' placeholders, for a prepared statement. */
    public static KeyPredicate bind(KeyRange range, String quotedColumn) {
        return of(range, quotedColumn, bound -> "?");
    }

    /**
     * The condition with the bounds written as integer literals, for statements that take no
     * parameters (PostgreSQL's COPY). A {@code long} printed in decimal cannot carry SQL.
     */
    public static KeyPredicate inline(KeyRange range, String quotedColumn) {
        return of(range, quotedColumn, bound -> Long.toString(bound));
    }

    private static KeyPredicate of(KeyRange range, String column, Function<Long, String> value) {
        List<String> terms = new ArrayList<>();
        List<Long> params = new ArrayList<>();
        if (range.from() != null) {
            terms.add(column + " >= " + value.apply(range.from()));
            params.add(range.from());
        }
        if (range.to() != null) {
            terms.add(column + " < " + value.apply(range.to()));
            params.add(range.to());
        }
        String bounded = terms.isEmpty() ? column + " IS NOT NULL" : String.join(" AND ", terms);
        String sql = range.nulls() ? (terms.isEmpty() ? "TRUE" : "(" + bounded + ") OR " + column + " IS NULL") : bounded;
        return new KeyPredicate(sql, params);
    }
}
