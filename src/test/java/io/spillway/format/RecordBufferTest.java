package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
}
