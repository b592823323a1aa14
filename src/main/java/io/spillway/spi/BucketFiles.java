package io.spillway.spi;

import java.io.IOException;

/** Files a server-side exporter (a BigQuery extract job) writes into the store itself. */
public interface BucketFiles {
    /**
     * The store's own URI of the folder {@code name} beside this unit's staging folder (such as
     * {@code gs://BUCKET/.../<part>/<name>/}). The name is the exporter's (its job id), so a retried
     * attempt finds what an earlier one's job wrote.
     */
    String uri(String name);

    /**
     * Takes the files the exporter wrote in the folder {@code name}, in name order, with their sizes
     * and CRC32C from the store's metadata. {@code rows} is the number of data rows in all of them,
     * or -1 if unknown. Returns how many files there were.
     */
    int adopt(String name, long rows) throws IOException;
}
