package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Float8Text against the server's own text of the same doubles, as a COPY in CSV would send it. */
class Float8TextTest {
    @Test
    void writesEveryDoubleAsTheServerDoes() throws Exception {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                -Double.MAX_VALUE, 1e23, 1e22, 9e22, 5e-324, 1e-323, 9007199254740992.0, 9007199254740993.0,
                9007199254740994.0, 1e15, 1e16, 1e17, 999999999999999.0, 123456789012345.0, 1234567890123456.0,
                0.0001, 0.00001, 0.00012345, 0.000012345, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 100.0, 1e100,
                1e-100, 1.5, -2.5, 4.35, 2.675, 1e21, 1e-7, 299792458.0, 6.02214076e23, 1.7976931348623157e308,
                2.2250738585072014e-308, 2.225073858507201e-308, 4.9406564584124654e-324));
        for (int e = -324; e <= 308; e++) {
            double ten = Double.parseDouble("1e" + e);
            values.addAll(List.of(ten, Math.nextUp(ten), Math.nextDown(ten), 5 * ten, 1.5 * ten));
        }
        for (int e = -1074; e <= 1023; e++) {
            double two = Math.scalb(1.0, e);
            values.addAll(List.of(two, Math.nextUp(two), Math.nextDown(two)));
        }
        SplittableRandom random = new SplittableRandom(20261207);
        for (int i = 0; i < 100_000; i++) {
            values.add(Double.longBitsToDouble(random.nextLong())); // every exponent, subnormals and NaNs too
            values.add(random.nextDouble()); // as random() fills a column
            values.add(random.nextInt(1_000_000) / 100.0); // prices
            values.add((double) random.nextLong(1L << 60)); // integers, exact below 2^53 and rounded above
        }
        try (Connection c = DriverManager.getConnection(PgTestDb.JDBC); Statement s = c.createStatement()) {
            s.execute("SET extra_float_digits = 3"); // as the source's sessions run
            int checked = 0;
            for (int from = 0; from < values.size(); from += 50_000) {
                List<Double> batch = values.subList(from, Math.min(values.size(), from + 50_000));
                List<String> server = new ArrayList<>(batch.size());
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT v::text FROM unnest(?::float8[]) WITH ORDINALITY AS t(v, i) ORDER BY i")) {
                    Array array = c.createArrayOf("float8", batch.toArray());
                    p.setArray(1, array);
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            server.add(r.getString(1));
                        }
                    }
                }
                assertThat(server).hasSameSizeAs(batch);
                byte[] buf = new byte[Float8Text.MAX_LENGTH];
                Float8Text doubles = new Float8Text();
                for (int i = 0; i < batch.size(); i++) {
                    double v = batch.get(i);
                    int end = doubles.write(v, buf, 0);
                    String ours = new String(buf, 0, end, StandardCharsets.US_ASCII);
                    assertThat(ours).as("%s (bits %x)", v, Double.doubleToRawLongBits(v)).isEqualTo(server.get(i));
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(400_000);
        }
    }
}
