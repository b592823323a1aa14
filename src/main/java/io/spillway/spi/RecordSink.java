package io.spillway.spi;

import java.io.IOException;

/**
 * Whole records (a row with its line end) already in the sink's format, for sources that produce
 * the bytes themselves (PostgreSQL's COPY).
 */
public interface RecordSink {
    /** Sets the record written at the top of every file (CSV's header row). */
    void header(byte[] record);

    /** Writes one whole record, starting a new file first if this one is full. */
    void record(byte[] buf, int off, int len) throws IOException;

    /**
     * How many bytes of records the current file takes before it would pass the size limit (for no
     * file open, the next file after its header): what {@link #records} may be given.
     */
    long room();

    /**
     * Writes {@code count} whole records that fit in {@link #room()} in one write; a record that does
     * not fit goes through {@link #record}, which starts the next file for it.
     */
    void records(byte[] buf, int off, int len, int count) throws IOException;
}
