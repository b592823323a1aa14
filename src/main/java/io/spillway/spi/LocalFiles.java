package io.spillway.spi;

import java.io.IOException;
import java.nio.file.Path;

/** Finished local files from a native exporter (DuckDB's COPY), in the sink's format and compression. */
public interface LocalFiles {
    /** A local path the exporter may write this unit's data to. */
    Path scratchFile() throws IOException;

    /**
     * Takes a finished file: it becomes one file as it is if it fits the size limit, and is split
     * on record boundaries otherwise; a Parquet or Avro file is always taken whole (the exporter
     * splits such files itself). {@code rows} is the number of data rows in it.
     */
    void adopt(Path file, long rows) throws IOException;
}
