package io.spillway.source.postgres;

import io.spillway.spi.RecordSink;
import java.io.IOException;

/**
 * One record sink fed by two COPYs at once (see {@link PostgresSource}'s parallel copy), each through a
 * {@link #producer view} of its own. Every call reaches the sink under one lock, a batch of whole records at
 * a time, so files hold whole rows of either half, interleaved by batch.
 *
 * <p>The sink takes a batch only if it fits in the current file ({@link RecordSink#records}), and each half
 * fills its batch between two calls. So each view's {@link RecordSink#room() room} is a grant: half of what
 * the file has left once the other half's grant is set aside. The grants never add up to more than the file
 * takes. A record too large for its grant goes through {@link RecordSink#record}, which may start the next
 * file: it waits until the other half has handed its batch over (and that half takes no new grant meanwhile),
 * so no grant is outstanding when the file changes.
 */
final class SharedRecords {
    private final RecordSink out;
    private final long[] granted = new long[2];
    private final boolean[] waiting = new boolean[2];
    private boolean headed;

    SharedRecords(RecordSink out) {
        this.out = out;
    }

    /** The view of half {@code half} (0 or 1). */
    RecordSink producer(int half) {
        int other = 1 - half;
        return new RecordSink() {
            @Override
            public void header(byte[] record) {
                synchronized (SharedRecords.this) {
                    if (!headed) {
                        out.header(record);
                        headed = true;
                    }
                }
            }

            @Override
            public long room() {
                synchronized (SharedRecords.this) {
                    // while the other half waits to write a record, this one is granted none
                    granted[half] = waiting[other] ? 0 : Math.max(0, (out.room() - granted[other]) / 2);
                    return granted[half];
                }
            }

            @Override
            public void records(byte[] buf, int off, int len, int count) throws IOException {
                synchronized (SharedRecords.this) {
                    try {
                        out.records(buf, off, len, count);
                    } finally {
                        release(half);
                    }
                }
            }

            @Override
            public void record(byte[] buf, int off, int len) throws IOException {
                synchronized (SharedRecords.this) {
                    release(half);
                    // a record may start the next file, where the other half's grant would no longer fit:
                    // it waits until that half has handed its batch over
                    waiting[half] = true;
                    try {
                        while (granted[other] > 0) {
                            SharedRecords.this.wait();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while the other half of the copy wrote its rows", e);
                    } finally {
                        waiting[half] = false;
                    }
                    out.record(buf, off, len);
                }
            }
        };
    }

    /** The half needs no room any more (it handed its batch over, ended or failed): the other may take it. */
    synchronized void release(int half) {
        granted[half] = 0;
        notifyAll();
    }
}
