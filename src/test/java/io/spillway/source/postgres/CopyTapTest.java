package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tap against protocol streams written by hand, read the way the driver reads its socket. */
class CopyTapTest {
    private static final byte[] COPY_OUT = message('H', new byte[] {0, 0, 2, 0, 0, 0, 0});
    private static final byte[] DONE = concat(message('c', new byte[0]), message('C', text("COPY 3")),
            message('Z', new byte[] {'T'}));

    @Test
    void takesEveryRowAndLeavesTheDriverTheRestOfTheProtocol() throws IOException {
        List<String> rows = List.of("a,b\n", "1,\"x\ny\"\n", "2,".repeat(100_000) + "\n", "3,z\n");
        byte[] stream = concat(COPY_OUT, copyData(rows), DONE, message('S', text("after")));
        for (int chunk : new int[] {1, 3, 7, 8192, 1 << 20}) {
            List<String> taken = new ArrayList<>();
            CopyTap tap = new CopyTap(new Trickle(stream, chunk), 64);
            assertThat(tap.start((b, off, len) -> taken.add(new String(b, off, len, StandardCharsets.UTF_8)))).isTrue();
            byte[] driver = readAll(tap, 8192);
            assertThat(taken).as("chunks of %d", chunk).isEqualTo(rows);
            assertThat(driver).as("chunks of %d", chunk).isEqualTo(concat(COPY_OUT, DONE, message('S', text("after"))));
            assertThat(tap.active()).isFalse();
        }
    }

    @Test
    void takesEveryRowAcrossItsCallsOfAtMostRowsPerCall() throws IOException {
        int max = CopyTap.ROWS_PER_CALL;
        for (int count : new int[] {max - 1, max, max + 1, 2 * max, 2 * max + 5}) {
            List<String> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                rows.add(i + "\n");
            }
            byte[] after = message('S', text("after"));
            List<String> taken = new ArrayList<>();
            CopyTap tap = new CopyTap(new Trickle(concat(COPY_OUT, copyData(rows), DONE, after), 65_536), 8192);
            tap.start((b, off, len) -> taken.add(new String(b, off, len, StandardCharsets.UTF_8)));
            assertThat(readAll(tap, 8192)).as("%d rows", count).isEqualTo(concat(COPY_OUT, DONE, after));
            assertThat(taken).as("%d rows", count).isEqualTo(rows);
            assertThat(tap.taken()).isEqualTo(count);
        }
    }

    @Test
    void endsAtTheReadyForQuerySoTheNextStatementsRowsReachTheDriver() throws IOException {
        byte[] error = concat(COPY_OUT, copyData(List.of("1\n")), message('E', text("SERROR")), message('Z', new byte[] {'E'}));
        byte[] next = concat(message('T', new byte[] {0, 0}), message('D', new byte[] {0, 0}), message('Z', new byte[] {'I'}));
        List<String> taken = new ArrayList<>();
        CopyTap tap = new CopyTap(new ByteArrayInputStream(concat(error, next)), 16);
        tap.start((b, off, len) -> taken.add(new String(b, off, len, StandardCharsets.UTF_8)));
        assertThat(readAll(tap, 5)).isEqualTo(concat(COPY_OUT, message('E', text("SERROR")), message('Z', new byte[] {'E'}), next));
        assertThat(taken).containsExactly("1\n");
    }

    @Test
    void stepsAsideWhenTheStreamIsNotThePlainProtocol() throws IOException {
        // a TLS record: content type 0x17, version 3.3, then ciphertext that happens to hold a 'd'
        byte[] tls = concat(new byte[] {0x17, 3, 3, 0, 12}, message('d', text("1,2\n")), new byte[] {9, 9, 9});
        CopyTap tap = new CopyTap(new ByteArrayInputStream(tls), 8);
        assertThat(tap.start((b, off, len) -> {
            throw new AssertionError("took a row out of an encrypted stream");
        })).isTrue();
        assertThat(readAll(tap, 8192)).isEqualTo(tls);
    }

    @Test
    void doesNotStartWhileAnEarlierResponseIsUnread() throws IOException {
        CopyTap tap = new CopyTap(new ByteArrayInputStream(concat(message('Z', new byte[] {'I'}), COPY_OUT)), 1024);
        byte[] first = new byte[3];
        assertThat(tap.read(first, 0, 3)).isEqualTo(3);
        assertThat(tap.start((b, off, len) -> { })).isFalse();
        assertThat(tap.active()).isFalse();
    }

    @Test
    void aWriterFailureBreaksTheStreamAndIsKept() throws IOException {
        byte[] stream = concat(COPY_OUT, copyData(List.of("1\n", "2\n", "3\n")), DONE);
        CopyTap tap = new CopyTap(new ByteArrayInputStream(stream), 1024);
        IOException disk = new IOException("disk full");
        tap.start((b, off, len) -> {
            if (b[off] == '2') {
                throw disk;
            }
        });
        byte[] buf = new byte[8192];
        assertThat(tap.read(buf, 0, buf.length)).isEqualTo(COPY_OUT.length);
        assertThatThrownBy(() -> tap.read(buf, 0, buf.length)).isInstanceOf(IOException.class).hasCause(disk);
        assertThatThrownBy(() -> tap.read(buf, 0, buf.length)).isInstanceOf(IOException.class);
        assertThat(tap.failure()).isSameAs(disk);
    }

    @Test
    void withoutATapItIsAPlainBufferedStream() throws IOException {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        assertThat(readAll(new CopyTap(new Trickle(data, 777), 4096), 1000)).isEqualTo(data);
        assertThat(readAll(new CopyTap(new Trickle(data, 777), 4096), 10_000)).isEqualTo(data);
    }

    private static byte[] readAll(InputStream in, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[size];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] copyData(List<String> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rows.forEach(r -> out.writeBytes(message('d', text(r))));
        return out.toByteArray();
    }

    private static byte[] message(char type, byte[] body) {
        int length = body.length + 4;
        return concat(new byte[] {(byte) type, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length}, body);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A socket that delivers at most {@code chunk} bytes a read, so messages straddle reads everywhere. */
    private static final class Trickle extends FilterInputStream {
        private final int chunk;

        Trickle(byte[] data, int chunk) {
            super(new ByteArrayInputStream(data));
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
