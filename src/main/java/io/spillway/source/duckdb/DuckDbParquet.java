package io.spillway.source.duckdb;

import io.spillway.spi.Compression;
import io.spillway.spi.LocalFiles;
import io.spillway.spi.ScratchFiles;
import io.spillway.spi.TableInfo;
import io.spillway.spi.UnitSink;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a unit as Parquet with DuckDB's own {@code COPY ... (FORMAT parquet)} into a folder of
 * files that DuckDB closes at a row group boundary ({@code FILE_SIZE_BYTES}), then hands each file
 * to the shard writer.
 *
 * <p>DuckDB starts a new file only after the row group that reaches {@code FILE_SIZE_BYTES}, so
 * it is asked for a file that much smaller than the limit, with row groups of about an eighth of
 * the limit by the catalogue's estimate of a row. If a file still comes out larger (rows much wider
 * than estimated) the unit is written once more with row groups sized from the measured rows.
 * DuckDB's row groups hold at least 2048 rows, so under a limit smaller than that many rows a
 * file may still pass it. A row group is also kept under a sixteenth of DuckDB's memory limit
 * ({@code ROW_GROUP_SIZE_BYTES}, which DuckDB applies where it need not keep the rows' order): each
 * of its threads holds one while writing it, and 122,880 rows of 4 kB (480 MB) failed a 1 GB limit.
 */
final class DuckDbParquet {
    private static final Logger log = LoggerFactory.getLogger(DuckDbParquet.class);
    static final long MIN_GROUP_ROWS = 2048;
    static final long MAX_GROUP_ROWS = 122_880; // DuckDB's default

    private final Connection connection;
    private final UnitSink out;
    private final long memoryLimit;

    /** {@code memoryLimit}: DuckDB's, in bytes; each row group held while it is written is kept to a sixteenth of it. */
    DuckDbParquet(Connection connection, UnitSink out, long memoryLimit) {
        this.connection = connection;
        this.out = out;
        this.memoryLimit = memoryLimit;
    }

    void export(String select, TableInfo table) throws SQLException, IOException {
        long limit = out.maxFileSize();
        long rowBytes = Math.max(1, table.estimatedBytes() / Math.max(1, table.estimatedRows()));
        long groupRows = groupRows(limit, rowBytes);
        LocalFiles local = out.localFiles().orElseThrow();
        Path dir = local.scratchFile();
        try {
            List<Written> files = copy(select, dir, groupRows, rowBytes);
            if (files.stream().anyMatch(f -> f.bytes() > limit) && groupRows > MIN_GROUP_ROWS) {
                long measured = files.stream().mapToLong(f -> f.bytes() / Math.max(1, f.rows())).max().orElse(rowBytes);
                long fewer = Math.max(MIN_GROUP_ROWS, Math.min(groupRows / 2, groupRows(limit, Math.max(1, measured))));
                log.info("Parquet files of {} passed {} bytes with {} rows a row group: writing it again with {}",
                        table.name(), limit, groupRows, fewer);
                files = copy(select, dir, fewer, Math.max(1, measured));
            }
            for (Written f : files) {
                local.adopt(f.path(), f.rows());
            }
        } finally {
            ScratchFiles.delete(dir);
        }
    }

    /** Rows a row group so that it is about an eighth of the limit, within what DuckDB writes. */
    private static long groupRows(long limit, long rowBytes) {
        return Math.max(MIN_GROUP_ROWS, Math.min(MAX_GROUP_ROWS, limit / 8 / rowBytes));
    }

    private List<Written> copy(String select, Path dir, long groupRows, long rowBytes) throws SQLException, IOException {
        ScratchFiles.delete(dir);
        long limit = out.maxFileSize();
        long room = groupRows * rowBytes + Math.min(1L << 20, limit / 16);
        long fileSize = Math.max(limit / 4, limit - room);
        String copy = "COPY (" + select + ") TO '" + dir.toString().replace("'", "''") + "' (FORMAT parquet, COMPRESSION '"
                + codec(out.compression()) + "', ROW_GROUP_SIZE " + groupRows + ", ROW_GROUP_SIZE_BYTES "
                + Math.max(1L << 20, memoryLimit / 16) + ", FILE_SIZE_BYTES " + fileSize
                + ", RETURN_STATS true)";
        List<Written> files = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(copy)) {
            while (rs.next()) {
                files.add(new Written(Path.of(rs.getString("filename")), rs.getLong("count"),
                        rs.getLong("file_size_bytes")));
            }
        }
        files.sort(Comparator.comparingLong(Written::index));
        return files;
    }

    private static String codec(Compression compression) {
        return compression == Compression.NONE ? "uncompressed" : compression.toString();
    }

    /** One file DuckDB wrote: {@code data_N.parquet}. */
    private record Written(Path path, long rows, long bytes) {
        long index() {
            String name = path.getFileName().toString();
            return Long.parseLong(name.replaceAll("\\D", ""));
        }
    }
}
