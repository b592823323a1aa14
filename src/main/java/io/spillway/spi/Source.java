package io.spillway.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
     * Every table as {@link #tables()} lists them, with the same size estimates, but where the
     * source can answer faster without them, with no columns (an empty list): what planning needs
     * to cut and weigh tables. Planning looks up the columns of the tables a rule reads them for
     * ({@code --cursor}, {@code --partition-by}) with {@link #tables(Collection)}. The default lists
     * {@link #tables()}.
     */
    default List<TableInfo> listing() throws Exception {
        return tables();
    }

    /**
     * The tables of {@code names} as {@link #tables()} lists them, leaving out any that are gone;
     * sources that can look tables up one by one more cheaply than they list them all override it.
     */
    default List<TableInfo> tables(Collection<String> names) throws Exception {
        return tables().stream().filter(t -> names.contains(t.name())).toList();
    }

    /**
     * The units of a table: the whole table, or key ranges when the table is estimated larger
     * than {@code splitSize} (0 means never split). Ranges must cover every row exactly once.
     */
    default List<Unit> units(TableInfo table, long splitSize) throws Exception {
        return List.of(Unit.whole(table.name(), table.estimatedBytes()));
    }

    /**
     * Called before {@link #units} when every unit of the plan will read one moment ({@code --consistent}):
     * a source that offers it may then cut tables in ways that are exact only at one moment. The default
     * takes a moment ({@link #holdMoment}) and lets it go at once: a source that does not offer one refuses
     * here as it does there, so {@code spillway plan} says what {@code run} and {@code task} would.
     */
    default void planForOneMoment() throws Exception {
        holdMoment().close();
    }

    /**
     * Called once by each task before it exports, with its execution and the moment to read the
     * tables as of (the plan's time), or null to read them as they are (--no-snapshot). A source
     * that can read the past (BigQuery's time travel) reads every table as of that moment, so all
     * tables of one execution agree; the default ignores it.
     */
    default void begin(String execution, Instant asOf) throws Exception {}

    /**
     * Called once by each task before it exports, as {@link #begin(String, Instant)}, with the token of
     * the moment a {@code --consistent} execution reads as of ({@link #holdMoment}), or null when the
     * job is not consistent. A source that took the moment reads every unit as of it, in any process,
     * and fails a unit with a {@link JobException} once the moment is no longer held. The default
     * refuses a token and otherwise calls {@link #begin(String, Instant)}.
     */
    default void begin(String execution, Instant asOf, String moment) throws Exception {
        if (moment != null) {
            throw new JobException("execution " + execution + " was planned with --consistent, which " + uri()
                    + " does not offer: start a new execution without --consistent");
        }
        begin(execution, asOf);
    }

    /**
     * Takes one moment of the source that every task of a {@code --consistent} execution reads as of,
     * in any process or container, and holds it until the returned moment is closed. Called by the
     * task that plans, before it lists the tables. The default refuses with a {@link JobException}: a
     * source offers it only where one moment can be shared between separate connections.
     */
    default Moment holdMoment() throws Exception {
        throw new JobException("--consistent is not offered for " + uri() + ": only PostgreSQL can share one"
                + " snapshot between the connections of separate tasks; drop --consistent");
    }

    /**
     * A moment of the source held open for a {@code --consistent} execution. Used from one thread;
     * {@code close} is idempotent and lets the moment go, after which units that read as of it fail.
     */
    interface Moment extends AutoCloseable {
        /** What {@link #begin(String, Instant, String)} takes to read as of this moment: short, opaque text. */
        String token();

        /** Throws, saying why, if the moment is no longer held (its connection broke or was ended). */
        void check() throws Exception;

        @Override
        void close();
    }

    /** Streams the rows of one unit into {@code out}; returns nothing until every row is written. */
    void export(Unit unit, UnitSink out) throws Exception;

    /**
     * Starts the export of one unit. A source whose server does the export (BigQuery's extract
     * jobs) returns without waiting, so a task starts all its units and then awaits them together;
     * the default exports the unit here and now through {@link #export} and returns empty.
     */
    default Optional<Pending> start(Unit unit, UnitSink out) throws Exception {
        export(unit, out);
        return Optional.empty();
    }

    /** A unit's export under way on the source's server. */
    interface Pending {
        /** Waits until the export is done and its files are handed to the writer; throws if it failed. */
        void await() throws Exception;
    }

    /**
     * The exact number of rows the table holds now (a count, not the catalogue's estimate), for
     * {@code spillway verify --against-source}; empty where the source cannot count (the default).
     */
    default OptionalLong count(String table) throws Exception {
        return OptionalLong.empty();
    }

    /**
     * A value that differs whenever the table's rows may differ, read before its export, so an export can be
     * skipped when the value equals the one its last export recorded ({@code --skip-unchanged}). Empty
     * where the source cannot tell (the default): the table is then always exported.
     */
    default Optional<String> changeMarker(TableInfo table) throws Exception {
        return Optional.empty();
    }

    /**
     * The largest value of {@code column} in {@code table} now, in the database's text form, or empty
     * when it holds no value: the mark up to which an incremental export ({@code --cursor}) reads. A source
     * that answers must honour {@link Unit#cursor()} in {@link #export}; the default refuses.
     */
    default Optional<String> cursorMark(TableInfo table, String column) throws Exception {
        throw new JobException("--cursor is not supported for " + uri() + ": export it in full (drop --cursor for"
                + " table " + table.name() + ")");
    }

    /**
     * Whether {@link #export} writes a unit through {@link UnitSink#rows} when the sink takes rows only
     * ({@link UnitSink#takesRecords()} false, as for {@code --partition-by}); false for a source that
     * exports only on its own server, which cannot route rows.
     */
    default boolean writesRows() {
        return true;
    }

    @Override
    default void close() throws Exception {}
}
