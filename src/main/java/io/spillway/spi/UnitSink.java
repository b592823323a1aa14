package io.spillway.spi;

import java.util.List;
import java.util.Optional;

/**
 * Where a source writes the rows of one unit. The sink lays them out as files of the job's
 * {@link #format()} and {@link #compression()}, numbered and rolled over on a row boundary before a
 * file passes {@link #maxFileSize()}; what it wrote is committed or discarded by the engine, never
 * by the source.
 *
 * <p>A source writes a unit through one capability: rows of Java values ({@link #rows}), whole
 * records already in the format for byte-level paths ({@link #records}), or, where the sink offers
 * them, finished files of a native exporter ({@link #localFiles}, {@link #bucketFiles}). Not thread
 * safe.
 */
public interface UnitSink {
    Format format();

    Compression compression();

    /** The size a file may not pass (a single row larger than it gets a file of its own). */
    long maxFileSize();

    /**
     * Rows read one by one, rendered in the sink's format; the columns name the fields and, through
     * their type names read as {@code dialect} says, type Parquet and Avro columns. Once per unit.
     */
    RowSink rows(List<Column> columns, TypeDialect dialect);

    default RowSink rows(List<Column> columns) {
        return rows(columns, TypeDialect.STANDARD);
    }

    /** Whole records in the sink's format, for line formats (CSV, JSON lines) only; see {@link #takesRecords}. */
    RecordSink records();

    /**
     * Whether {@link #records} may be used. A sink that must see each row's values, to route it
     * ({@code --partition-by}), takes rows only: its {@link #records}, {@link #localFiles} and
     * {@link #bucketFiles} are not to be used, and a source writes through {@link #rows}.
     */
    default boolean takesRecords() {
        return true;
    }

    /** Finished local files of a native exporter; empty where the sink cannot take them. */
    default Optional<LocalFiles> localFiles() {
        return Optional.empty();
    }

    /** Files a server-side exporter writes into the store itself; empty where the store is not one it reaches. */
    default Optional<BucketFiles> bucketFiles() {
        return Optional.empty();
    }
}
