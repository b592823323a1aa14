package io.spillway.source;

import io.spillway.format.ShardWriter;
import io.spillway.plan.Unit;
import java.util.List;

/**
 * Where tables come from. One task opens one source and uses it from one thread.
 *
 * <p>Errors the user must fix (no such file, schema, permission) are thrown as
 * {@code JobException}; failures a retry may fix as {@code ExportException} or any other exception.
 */
public interface Source extends AutoCloseable {

    /** The source as the user named it, without credentials. */
    String uri();

    /** Every table that can be exported, with size estimates from the catalogue, sorted by name. */
    List<TableInfo> tables() throws Exception;

    /**
     * The units of a table: the whole table, or key ranges when the table is estimated larger
     * than {@code splitSize} (0 means never split). Ranges must cover every row exactly once.
     */
    default List<Unit> units(TableInfo table, long splitSize) throws Exception {
        return List.of(Unit.whole(table.name(), table.estimatedBytes()));
    }

    /** Streams the rows of one unit into {@code out}; returns nothing until every row is written. */
    void export(Unit unit, ShardWriter out) throws Exception;

    @Override
    default void close() throws Exception {}
}
