package io.spillway.format;

import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
import io.spillway.spi.RecordSink;
import io.spillway.spi.RowSink;
import io.spillway.spi.Store;
import io.spillway.spi.TypeDialect;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one unit's rows into Hive-style partition folders ({@link HivePath}): each row goes to the
 * {@link ShardWriter} of its partition, which numbers and rolls its files as for an unpartitioned
 * table, under {@code <prefix><n>/}; every file it returns names its partition folder, and all of
 * them are committed or discarded together with the unit.
 *
 * <p>Partitioned by the value itself, the column is left out of the files: its value is in the
 * folder's name, and DuckDB, Spark and Hive put it back from there (DuckDB lets the folder's value
 * win over a column of the same name in the file, so keeping it would only duplicate it). Partitioned
 * by a year, month or day ({@code granularity}), the column stays in the files and the folder is
 * {@code <column>_<year|month|day>=...}.
 *
 * <p>At most {@link #openLimit} partitions have a file open at once (Parquet keeps a row group in
 * memory for each); a row of another partition finishes the least recently used one, whose later rows
 * start a new file: rows that arrive in no order of the partition column over many partitions make
 * many small files. Takes rows only ({@link #takesRecords()} false). Not thread safe.
 */
public final class PartitionedWriter implements UnitWriter {
    private static final long MEMORY = 512L << 20;
    private static final int MAX_OPEN = 64;

    private final Store store;
    private final String prefix;
    private final Format format;
    private final Compression compression;
    private final long maxFileSize;
    private final String column;
    private final ChronoUnit granularity;
    private final int openLimit;
    private final Map<String, Open> open = new LinkedHashMap<>(16, 0.75f, true);
    private final List<ShardFile> files = new ArrayList<>();
    private List<Column> fileColumns;
    private TypeDialect dialect;
    private int next;
    private long rows;

    private record Open(String folder, ShardWriter writer, RowSink rows) {}

    /** {@code granularity}: {@link ChronoUnit#YEARS}, {@code MONTHS} or {@code DAYS}, or null for the value itself. */
    public PartitionedWriter(Store store, String prefix, Format format, Compression compression, long maxFileSize,
            String column, ChronoUnit granularity) {
        this.store = store;
        this.prefix = prefix;
        this.format = format;
        this.compression = compression;
        this.maxFileSize = maxFileSize;
        this.column = column;
        this.granularity = granularity;
        long perWriter = format == Format.PARQUET ? Math.min(ParquetRows.ROW_GROUP_BYTES, Math.max(1, maxFileSize / 8))
                : 2L << 20;
        this.openLimit = (int) Math.max(4, Math.min(MAX_OPEN, MEMORY / perWriter));
    }

    /** How many partitions may have a file open at once. */
    public int openLimit() {
        return openLimit;
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public Compression compression() {
        return compression;
    }

    @Override
    public long maxFileSize() {
        return maxFileSize;
    }

    @Override
    public RowSink rows(List<Column> columns, TypeDialect dialect) {
        int index = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new JobException("--partition-by names column " + column + ", which the table does not have (its"
                    + " columns: " + String.join(", ", columns.stream().map(Column::name).toList()) + ")");
        }
        if (granularity != null) {
            ColumnType.Kind kind = ColumnType.parse(columns.get(index).type(), dialect).kind();
            boolean dated = Set.of(ColumnType.Kind.DATE, ColumnType.Kind.TIMESTAMP, ColumnType.Kind.TIMESTAMP_UTC)
                    .contains(kind) || dialect == TypeDialect.SQLITE;
            if (!dated) {
                throw new JobException("--partition-by " + column + ":" + HivePath.name(granularity) + ": column "
                        + column + " is " + columns.get(index).type() + ", not a date or timestamp; drop :"
                        + HivePath.name(granularity));
            }
        }
        this.dialect = dialect;
        int at = index;
        String folderColumn = granularity == null ? column : column + "_" + HivePath.name(granularity);
        if (granularity == null) {
            List<Column> kept = new ArrayList<>(columns);
            kept.remove(at);
            fileColumns = List.copyOf(kept);
        } else {
            fileColumns = List.copyOf(columns);
        }
        return row -> {
            String folder = HivePath.folder(folderColumn, HivePath.text(row[at], granularity));
            Open o = open.get(folder);
            if (o == null) {
                o = openPartition(folder);
            }
            if (granularity == null) {
                Object[] rest = new Object[row.length - 1];
                System.arraycopy(row, 0, rest, 0, at);
                System.arraycopy(row, at + 1, rest, at, row.length - at - 1);
                o.rows().write(rest);
            } else {
                o.rows().write(row);
            }
        };
    }

    private Open openPartition(String folder) throws IOException {
        if (open.size() >= openLimit) {
            Open eldest = open.values().iterator().next();
            open.remove(eldest.folder());
            finish(eldest);
        }
        ShardWriter writer = new ShardWriter(store, prefix + next++ + "/", format, compression, maxFileSize);
        Open o = new Open(folder, writer, writer.rows(fileColumns, dialect));
        open.put(folder, o);
        return o;
    }

    private void finish(Open o) throws IOException {
        try (ShardWriter w = o.writer()) {
            for (ShardFile f : w.finish()) {
                files.add(f.inPartition(o.folder()));
            }
            rows += w.rowCount();
        }
    }

    /** Not to be used: see {@link #takesRecords()}. */
    @Override
    public RecordSink records() {
        throw new UnsupportedOperationException("a partitioned unit is written through rows()");
    }

    @Override
    public boolean takesRecords() {
        return false;
    }

    /** Finishes every partition's last file; an empty unit has no files (no partition holds a row). */
    @Override
    public List<ShardFile> finish() throws IOException {
        for (Open o : List.copyOf(open.values())) {
            open.remove(o.folder());
            finish(o);
        }
        return List.copyOf(files);
    }

    @Override
    public long rowCount() {
        return rows + open.values().stream().mapToLong(o -> o.writer().rowCount()).sum();
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (Open o : open.values()) {
            try {
                o.writer().close();
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failed != null) {
            throw failed;
        }
    }
}
