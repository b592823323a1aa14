package io.spillway.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.RecordSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a server does not send often enough to test against one: bad UTF-8, long values, every layout of a double. */
class TextRecordsTest {
    /** Collects what the writer hands over. */
    private static final class Sink implements RecordSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void header(byte[] record) {}

        @Override
        public void record(byte[] buf, int off, int len) {
            bytes.write(buf, off, len);
        }

        @Override
        public long room() {
            return Long.MAX_VALUE;
        }

        @Override
        public void records(byte[] buf, int off, int len, int count) {
            bytes.write(buf, off, len);
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** One row of one column of {@code kind} holding {@code value} (null for NULL), as the writer writes it. */
    private static byte[] write(TextRecords.Kind kind, byte[] value) throws IOException {
        Sink sink = new Sink();
        TextRecords csv = new TextRecords(List.of("c"), List.of(kind), new int[] {1}, false, sink);
        byte[] row = packet(value);
        csv.row(row, 0, row.length);
        csv.end();
        return sink.bytes.toByteArray();
    }

    private static byte[] packet(byte[] value) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        if (value == null) {
            p.write(0xfb);
        } else if (value.length < 0xfb) {
            p.write(value.length);
        } else if (value.length < 1 << 16) {
            p.write(0xfc);
            p.write(value.length & 0xff);
            p.write(value.length >> 8);
        } else {
            p.write(0xfd);
            p.write(value.length & 0xff);
            p.write(value.length >> 8 & 0xff);
            p.write(value.length >> 16);
        }
        if (value != null) {
            p.writeBytes(value);
        }
        return p.toByteArray();
    }

    private static String write(TextRecords.Kind kind, String value) throws IOException {
        return new String(write(kind, value.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void monthsHaveTheCalendarsDaysInEveryYear() {
        for (int year = 0; year <= 9999; year++) {
            for (int month = 1; month <= 12; month++) {
                assertThat(TextBytes.days(year, month)).as("%04d-%02d", year, month)
                        .isEqualTo(java.time.YearMonth.of(year, month).lengthOfMonth());
            }
        }
    }

    @Test
    void textThatIsNotUtf8IsReplacedAsAStringWouldBe() throws IOException {
        byte[][] bad = {{(byte) 0xc3, '('}, {(byte) 0xff}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {'a', (byte) 0xe2, (byte) 0x82}, {',', (byte) 0x80, '"'}};
        for (byte[] b : bad) {
            String s = new String(b, StandardCharsets.UTF_8);
            String quoted = s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
            assertThat(new String(write(TextRecords.Kind.TEXT, b), StandardCharsets.UTF_8)).isEqualTo(quoted + "\n");
        }
        byte[] good = "naïve 日本 😀".getBytes(StandardCharsets.UTF_8);
        assertThat(write(TextRecords.Kind.TEXT, good)).isEqualTo((new String(good, StandardCharsets.UTF_8) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quotesAsFastCsvDoes() throws IOException {
        assertThat(write(TextRecords.Kind.TEXT, "")).isEqualTo("\"\"\n");
        assertThat(write(TextRecords.Kind.TEXT, (byte[]) null)).isEqualTo("\n".getBytes(StandardCharsets.UTF_8));
        assertThat(write(TextRecords.Kind.TEXT, "#x")).isEqualTo("\"#x\"\n");
        assertThat(write(TextRecords.Kind.TEXT, "a\"b,c\r\nd")).isEqualTo("\"a\"\"b,c\r\nd\"\n");
        assertThat(write(TextRecords.Kind.TEXT, "a\0b\tc\\")).isEqualTo("a\0b\tc\\\n");
        String wide = "x,".repeat(40_000);
        assertThat(write(TextRecords.Kind.TEXT, wide)).isEqualTo('"' + wide + "\"\n");
        assertThat(write(TextRecords.Kind.TEXT, "y".repeat(300))).isEqualTo("y".repeat(300) + "\n");
    }

    @Test
    void doublesInJavasLayout() throws IOException {
        String[][] cases = {{"100", "100.0"}, {"1e20", "1.0E20"}, {"0.00001", "1.0E-5"}, {"0.001", "0.001"},
            {"9999999", "9999999.0"}, {"10000000", "1.0E7"}, {"-0", "-0.0"}, {"0", "0.0"}, {"1.5e-7", "1.5E-7"},
            {"0.30000000000000004", "0.30000000000000004"}, {"1.2345678901234568e17", "1.2345678901234568E17"},
            {"-1.7976931348623157e308", "-1.7976931348623157E308"}, {"4.9e-324", "4.9E-324"}, {"000123.4500", "123.45"}};
        for (String[] c : cases) {
            assertThat(write(TextRecords.Kind.DOUBLE, c[0])).as(c[0]).isEqualTo(c[1] + "\n");
        }
        assertThat(write(TextRecords.Kind.DOUBLE_FIXED, "1.50")).isEqualTo("1.5\n");
        assertThat(write(TextRecords.Kind.FLOAT, "-1.70601e13")).isEqualTo(Float.toString(-1.70601e13f) + "\n");
    }

    @Test
    void doublesKeepTheirValueInEveryForm() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            BigDecimal exact = new BigDecimal(Double.toString(d));
            for (String server : List.of(exact.toString(), exact.toPlainString(), exact.stripTrailingZeros().toString())) {
                String out = write(TextRecords.Kind.DOUBLE, server.replace("E+", "e"));
                assertThat(Double.parseDouble(out)).as(server).isEqualTo(d);
                assertThat(out).as(server).isEqualTo(Double.toString(d) + "\n"); // Java's digits in, Java's text out
            }
        }
    }

    @Test
    void dateTimesAndTimesAsTheTypedPathWritesThem() throws IOException {
        assertThat(write(TextRecords.Kind.DATETIME, "2024-01-31 08:30:00")).isEqualTo("2024-01-31T08:30:00.000000\n");
        assertThat(write(TextRecords.Kind.TIMESTAMP, "2024-01-31 08:30:00.5")).isEqualTo("2024-01-31T08:30:00.500000Z\n");
        assertThat(write(TextRecords.Kind.DATETIME, "2023-02-29 00:00:00")).isEqualTo("2023-02-29 00:00:00\n");
        assertThat(write(TextRecords.Kind.DATETIME, "0000-00-00 00:00:00")).isEqualTo("0000-00-00 00:00:00\n");
        assertThat(write(TextRecords.Kind.TIME, "08:30:00")).isEqualTo("08:30:00.000000\n");
        assertThat(write(TextRecords.Kind.TIME, "-08:30:00")).isEqualTo("-08:30:00\n");
        assertThat(write(TextRecords.Kind.TIME, "24:00:00.000")).isEqualTo("24:00:00.000\n");
        assertThat(write(TextRecords.Kind.BINARY, new byte[] {(byte) 0xff, 0, 'a', 'b'})).isEqualTo("/wBhYg==\n".getBytes());
        assertThat(write(TextRecords.Kind.BIT, new byte[] {0})).isEqualTo("false\n".getBytes());
    }

    /** One JSON line of one column "c" of {@code kind} holding {@code value}. */
    private static String json(TextRecords.Kind kind, String value) throws IOException {
        Sink sink = new Sink();
        TextRecords records = new TextRecords(List.of("c"), List.of(kind), new int[] {1}, true, sink);
        byte[] row = packet(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        records.row(row, 0, row.length);
        records.end();
        return sink.text();
    }

    @Test
    void jsonNumbersAsJsonlRowsWritesThem() throws IOException {
        assertThat(json(TextRecords.Kind.INTEGER, "9007199254740991")).isEqualTo("{\"c\":9007199254740991}\n");
        assertThat(json(TextRecords.Kind.INTEGER, "9007199254740992")).isEqualTo("{\"c\":\"9007199254740992\"}\n");
        assertThat(json(TextRecords.Kind.INTEGER, "-9007199254740992")).isEqualTo("{\"c\":\"-9007199254740992\"}\n");
        assertThat(json(TextRecords.Kind.INTEGER, "000042")).isEqualTo("{\"c\":42}\n");
        assertThat(json(TextRecords.Kind.INTEGER, "0000")).isEqualTo("{\"c\":0}\n");
        assertThat(json(TextRecords.Kind.INTEGER, null)).isEqualTo("{\"c\":null}\n");
        assertThat(json(TextRecords.Kind.DECIMAL, "0012.50")).isEqualTo("{\"c\":12.50}\n");
        assertThat(json(TextRecords.Kind.DECIMAL, "-0.00")).isEqualTo("{\"c\":0.00}\n");
        assertThat(json(TextRecords.Kind.DECIMAL, "123456789012345")).isEqualTo("{\"c\":123456789012345}\n");
        assertThat(json(TextRecords.Kind.DECIMAL, "1234567890123.456")).isEqualTo("{\"c\":\"1234567890123.456\"}\n");
        assertThat(json(TextRecords.Kind.DECIMAL, "-0.000000000000000000001")).isEqualTo("{\"c\":-0.000000000000000000001}\n");
        assertThat(json(TextRecords.Kind.DOUBLE, "1e20")).isEqualTo("{\"c\":1.0E20}\n");
        assertThat(json(TextRecords.Kind.BINARY, "")).isEqualTo("{\"c\":\"\"}\n");
        assertThat(json(TextRecords.Kind.BIT, "\u0001")).isEqualTo("{\"c\":true}\n");
    }

    @Test
    void jsonStringsAsJacksonEscapesThem() throws IOException {
        String hostile = "q\" b\\ \0 \u001f \b\t\n\f\r / \u007f é 😀 \u2028";
        assertThat(json(TextRecords.Kind.TEXT, hostile)).isEqualTo("{\"c\":\"q\\\" b\\\\ \\u0000 \\u001F \\b\\t\\n\\f\\r / \u007f é"
                + " \\uD83D\\uDE00 \u2028\"}\n");
        assertThat(json(TextRecords.Kind.DATETIME, "2024-01-31 08:30:00")).isEqualTo("{\"c\":\"2024-01-31T08:30:00.000000\"}\n");
    }

    @Test
    void refusesARowThatDoesNotMatchItsColumns() {
        TextRecords csv = new TextRecords(List.of("a", "b"), List.of(TextRecords.Kind.INTEGER, TextRecords.Kind.INTEGER), new int[2], false, new Sink());
        assertThatThrownBy(() -> csv.row(new byte[] {1, '1'}, 0, 2)).hasMessageContaining("ended before its column 2");
        assertThatThrownBy(() -> csv.row(new byte[] {1, '1', 5, '2'}, 0, 4)).hasMessageContaining("past the end");
        assertThatThrownBy(() -> csv.row(new byte[] {1, '1', 1, '2', 1}, 0, 5)).hasMessageContaining("more than its 2");
    }
}
