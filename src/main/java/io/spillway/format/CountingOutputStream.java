package io.spillway.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** Counts the bytes that pass and keeps their CRC32C: the numbers a manifest records for a file. */
final class CountingOutputStream extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();
    private long count;

    CountingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        crc.update(b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        crc.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    String crc32c() {
        return hex(crc.getValue());
    }

    static String hex(long value) {
        return String.format("%08x", value);
    }
}
