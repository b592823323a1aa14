package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordBufferTest {
    @Test
    void writesEveryByteInOrderWhateverTheWriteSizes() throws Exception {
        Random random = new Random(7);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (RecordBuffer buffer = new RecordBuffer(sink, 64)) {
            for (int i = 0; i < 2_000; i++) {
                byte[] chunk = new byte[random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(20)];
                random.nextBytes(chunk);
                int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                if (random.nextInt(10) == 0) {
                    buffer.write(chunk.length == 0 ? 42 : chunk[0]);
                    expected.write(chunk.length == 0 ? 42 : chunk[0]);
                } else {
                    buffer.write(chunk, off, chunk.length - off);
                    expected.write(chunk, off, chunk.length - off);
                }
                if (random.nextInt(100) == 0) {
                    buffer.flush();
                    assertThat(sink.toByteArray()).isEqualTo(expected.toByteArray());
                }
            }
        }
        assertThat(sink.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aLargeWriteGoesThroughInOneWriteAfterWhatIsBuffered() throws Exception {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writes.add(len);
                super.write(b, off, len);
            }
        };
        byte[] batch = new byte[RecordBuffer.DIRECT];
        new Random(3).nextBytes(batch);
        try (RecordBuffer buffer = new RecordBuffer(sink, 1 << 20)) {
            buffer.write(new byte[] {1, 2, 3}, 0, 3);
            buffer.write(batch, 0, batch.length);
            buffer.write(new byte[] {4}, 0, 1);
            assertThat(writes).containsExactly(3, RecordBuffer.DIRECT);
        }
        assertThat(writes).containsExactly(3, RecordBuffer.DIRECT, 1);
        assertThat(Arrays.copyOfRange(sink.toByteArray(), 3, 3 + batch.length)).isEqualTo(batch);
    }
}
