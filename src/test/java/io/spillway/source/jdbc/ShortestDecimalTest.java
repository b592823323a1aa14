package io.spillway.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ShortestDecimal with halfway decimals taken (dtoa's and Java's reading) against Schubfach (jackson-core's, Java 19's
 * {@code Double.toString}): the same shortest digits, the closest of them, for every normal double. (Below the smallest
 * normal double Schubfach may write two digits where one reads back; the sources' tests compare those with the servers.)
 * The PostgreSQL reading, halfway decimals refused, is compared with the server itself in Float8TextTest.
 */
class ShortestDecimalTest {
    @Test
    void takesTheShortestClosestDecimalAsSchubfachDoes() {
        List<Double> values = new ArrayList<>(List.of(1e23, 9e22, 5e-324, Double.MIN_NORMAL, Double.MAX_VALUE, 0.1, 0.3,
                2.5, 1.5, 0.5, 100.0, 1e15, 1e16, 1e17, 9007199254740993.0, 123456789012345678.0, 4.35, 2.675));
        for (int e = -307; e <= 308; e++) {
            double ten = Double.parseDouble("1e" + e);
            values.addAll(List.of(ten, Math.nextUp(ten), Math.nextDown(ten), 3 * ten, 7.5 * ten));
        }
        for (int e = -1022; e <= 1023; e++) {
            double two = Math.scalb(1.0, e);
            values.addAll(List.of(two, Math.nextUp(two), Math.nextDown(two), 3 * two));
        }
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 300_000; i++) {
            values.add(Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE));
            values.add(random.nextDouble() * 1e6);
            values.add(random.nextInt(100_000_000) / 1000.0); // short decimals, where a bound may be one itself
            values.add((double) random.nextLong(1L << 62)); // integers, exact below 2^53
            values.add(Math.scalb((double) random.nextLong(1L << 53), random.nextInt(-80, 80)));
        }
        ShortestDecimal decimal = new ShortestDecimal();
        int checked = 0;
        for (double v : values) {
            if (!Double.isFinite(v) || v < Double.MIN_NORMAL) {
                continue;
            }
            decimal.set(v, true);
            BigDecimal ours = BigDecimal.valueOf(decimal.digits()).scaleByPowerOfTen(decimal.exponent()).stripTrailingZeros();
            BigDecimal schubfach = new BigDecimal(DoubleToDecimal.toString(v)).stripTrailingZeros();
            assertThat(ours.unscaledValue()).as("%s (bits %x)", v, Double.doubleToRawLongBits(v)).isEqualTo(schubfach.unscaledValue());
            assertThat(ours.scale()).as("%s", v).isEqualTo(schubfach.scale());
            checked++;
        }
        assertThat(checked).isGreaterThan(1_400_000);
    }
}
