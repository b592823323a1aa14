package io.spillway.source.jdbc;

import io.spillway.spi.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The WHERE condition that selects one key range: {@code sql} with its bounds as {@code params}
 * in order, each a {@code Long} (integer keys) or a {@code String} (the text form of another
 * orderable key, which the database converts to the key's type). The column arrives already
 * quoted by the dialect.
 */
public record KeyPredicate(String sql, List<Object> params) {
    public KeyPredicate {
        Objects.requireNonNull(sql, "sql is null");
        params = List.copyOf(params);
    }

    /** The condition with '?' placeholders, for a prepared statement. */
    public static KeyPredicate bind(KeyRange range, String quotedColumn) {
        return of(range, quotedColumn, bound -> "?");
    }

    /**
     * The condition with the bounds written inline, for statements that take no parameters
     * (PostgreSQL's COPY): an integer bound as a {@code long} printed in decimal, which cannot
     * carry SQL; any other bound as {@code literal} renders its text, which must quote it.
     */
    public static KeyPredicate inline(KeyRange range, String quotedColumn, UnaryOperator<String> literal) {
        return of(range, quotedColumn, range.integer() ? bound -> Long.toString(Long.parseLong(bound)) : literal);
    }

    private static KeyPredicate of(KeyRange range, String column, UnaryOperator<String> value) {
        List<String> terms = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (range.from() != null) {
            terms.add(column + " >= " + value.apply(range.from()));
            params.add(range.integer() ? range.fromInteger() : range.from());
        }
        if (range.to() != null) {
            terms.add(column + " < " + value.apply(range.to()));
            params.add(range.integer() ? range.toInteger() : range.to());
        }
        String bounded = terms.isEmpty() ? column + " IS NOT NULL" : String.join(" AND ", terms);
        String sql = range.nulls() ? (terms.isEmpty() ? "TRUE" : "(" + bounded + ") OR " + column + " IS NULL") : bounded;
        return new KeyPredicate(sql, params);
    }
}
