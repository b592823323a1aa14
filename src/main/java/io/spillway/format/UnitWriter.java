package io.spillway.format;

import io.spillway.spi.UnitSink;
import java.io.IOException;
import java.util.List;

/**
 * The sink of one unit as the engine holds it: the source writes into it, then the engine calls
 * {@link #finish()} and {@link #rowCount()} and commits the files, or closes it unfinished and
 * discards them. Not thread safe; {@link #close()} is idempotent and discards an unfinished file.
 */
public interface UnitWriter extends UnitSink, AutoCloseable {
    /** Finishes the last files and returns every file written, in order. */
    List<ShardFile> finish() throws IOException;

    /** The data rows of all files so far, or -1 when a server-side exporter did not say. */
    long rowCount();

    @Override
    void close() throws IOException;
}
