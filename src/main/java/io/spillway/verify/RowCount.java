package io.spillway.verify;

import io.spillway.format.Codecs;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.parquet.format.Util;

/**
 * Counts the data rows of a shard file as it streams past, reading what each format says rather
 * than decoding values: CSV records (a quoted field may hold line ends) less the header row each
 * file starts with, JSON lines, the row count in a Parquet file's footer, the record counts of an
 * Avro file's blocks (which are not decompressed). CSV and JSON lines files are decompressed
 * first. Memory is bounded: a buffer, and for Parquet the last {@value #TAIL} bytes; a footer
 * larger than that is read again from a second stream.
 */
final class RowCount {
    static final int BUFFER = 1 << 20;
    static final int TAIL = 1 << 20;
    private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};

    /** Opens the file again, for a Parquet footer that did not fit in the tail kept. */
    interface Reopen {
        InputStream open() throws IOException;
    }

    private RowCount() {}

    /** The data rows in the file {@code in} streams (to its end); {@code size} is its length in bytes. */
    static long of(Format format, Compression compression, InputStream in, long size, Reopen reopen)
            throws IOException {
        return switch (format) {
            case CSV -> Math.max(0, lines(Codecs.unwrap(compression, in), true) - 1);
            case JSONL -> lines(Codecs.unwrap(compression, in), false);
            case PARQUET -> parquet(in, size, reopen);
            case AVRO -> avro(in);
        };
    }

    /** Records ending in LF (or ending the file); with {@code quotes}, a LF inside '"' does not end one. */
    static long lines(InputStream in, boolean quotes) throws IOException {
        byte[] buf = new byte[BUFFER];
        long records = 0;
        boolean quoted = false;
        boolean open = false;
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '"' && quotes) {
                    quoted = !quoted;
                } else if (b == '\n' && !quoted) {
                    records++;
                    open = false;
                    continue;
                }
                open = true;
            }
        }
        return records + (open ? 1 : 0);
    }

    private static long parquet(InputStream in, long size, Reopen reopen) throws IOException {
        byte[] buf = new byte[BUFFER];
        byte[] tail = new byte[TAIL];
        byte[] head = new byte[PARQUET_MAGIC.length];
        int tailLen = 0;
        long read = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (read < head.length) {
                System.arraycopy(buf, 0, head, (int) read, (int) Math.min(n, head.length - read));
            }
            read += n;
            if (n >= TAIL) {
                System.arraycopy(buf, n - TAIL, tail, 0, TAIL);
                tailLen = TAIL;
            } else {
                int keep = Math.min(tailLen, TAIL - n);
                System.arraycopy(tail, tailLen - keep, tail, 0, keep);
                System.arraycopy(buf, 0, tail, keep, n);
                tailLen = keep + n;
            }
        }
        if (read < 12 || !Arrays.equals(head, PARQUET_MAGIC)
                || !Arrays.equals(Arrays.copyOfRange(tail, tailLen - 4, tailLen), PARQUET_MAGIC)) {
            throw new IOException("not a Parquet file: it does not start and end with PAR1");
        }
        int footer = ByteBuffer.wrap(tail, tailLen - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (footer <= 0 || footer > read - 12) {
            throw new IOException("the Parquet footer length " + footer + " does not fit the file");
        }
        if (footer + 8 <= tailLen) {
            return Util.readFileMetaData(new ByteArrayInputStream(tail, tailLen - 8 - footer, footer))
                    .getNum_rows();
        }
        try (InputStream again = reopen.open()) {
            again.skipNBytes(size - 8 - footer);
            return Util.readFileMetaData(new ByteArrayInputStream(again.readNBytes(footer))).getNum_rows();
        }
    }

    /** Sums the record counts of an Avro container's blocks, checking each block's sync marker. */
    private static long avro(InputStream in) throws IOException {
        BinaryDecoder d = DecoderFactory.get().binaryDecoder(in, null);
        byte[] magic = new byte[4];
        d.readFixed(magic);
        if (!Arrays.equals(magic, AVRO_MAGIC)) {
            throw new IOException("not an Avro container file: it does not start with Obj\\1");
        }
        for (long n = d.readMapStart(); n != 0; n = d.mapNext()) {
            for (long i = 0; i < n; i++) {
                d.skipString();
                d.skipBytes();
            }
        }
        byte[] sync = new byte[16];
        d.readFixed(sync);
        byte[] marker = new byte[16];
        long rows = 0;
        long block = 0;
        while (!d.isEnd()) {
            long count = d.readLong();
            long bytes = d.readLong();
            if (count < 0 || bytes < 0 || bytes > Integer.MAX_VALUE) {
                throw new IOException("Avro block " + block + " says " + count + " records in " + bytes + " bytes");
            }
            d.skipFixed((int) bytes);
            d.readFixed(marker);
            if (!Arrays.equals(marker, sync)) {
                throw new IOException("Avro block " + block + " does not end with the file's sync marker");
            }
            rows += count;
            block++;
        }
        return rows;
    }
}
