package io.spillway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void printsBytesAndOneDecimalOfTheLargestUnit() {
        assertThat(Sizes.format(0)).isEqualTo("0 B");
        assertThat(Sizes.format(1023)).isEqualTo("1023 B");
        assertThat(Sizes.format(1024)).isEqualTo("1.0 KiB");
        assertThat(Sizes.format(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.format(1024L * 1024 - 1)).isEqualTo("1024.0 KiB");
        assertThat(Sizes.format(5L << 30)).isEqualTo("5.0 GiB");
        assertThat(Sizes.format(3L << 40)).isEqualTo("3.0 TiB");
        assertThat(Sizes.format(Long.MAX_VALUE)).isEqualTo("8388608.0 TiB");
    }

    /** The decimal rounds as {@code %.1f} does (half up, of the double's shortest decimal), wherever it falls. */
    @Test
    void roundsAsPercentPointOneF() {
        Random random = new Random(18);
        for (int i = 0; i < 200_000; i++) {
            long bytes = 1024 + (random.nextLong() >>> (1 + random.nextInt(63)));
            assertThat(Sizes.format(bytes)).as("%d bytes", bytes).isEqualTo(formatted(bytes));
        }
        for (long bytes = 1024; bytes < 300_000; bytes++) { // every 1/1024 step, halves included (1.05, 2.25...)
            assertThat(Sizes.format(bytes)).as("%d bytes", bytes).isEqualTo(formatted(bytes));
        }
    }

    /** What {@code %.1f} writes of the size in its unit: the highest power of 1024 (up to TiB) at most the size. */
    private static String formatted(long bytes) {
        int power = Math.min(4, (63 - Long.numberOfLeadingZeros(bytes)) / 10);
        return String.format(Locale.ROOT, "%.1f %s", bytes / Math.pow(1024, power), "KMGT".charAt(power - 1) + "iB");
    }
}
