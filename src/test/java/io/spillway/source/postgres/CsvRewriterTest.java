package io.spillway.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.source.postgres.CsvRewriter.Fix;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvRewriterTest {
    /** Rewrites the row both alone and in the middle of a buffer of other rows, as the COPY tap hands it over. */
    private static String rewrite(String row, Fix... fixes) {
        CsvRewriter r = new CsvRewriter(fixes);
        byte[] alone = row.getBytes(StandardCharsets.UTF_8);
        r.rewrite(alone, 0, alone.length);
        String rewritten = new String(r.bytes(), 0, r.length(), StandardCharsets.UTF_8);
        byte[] before = "t,2024-01-31 08:30:00,\n".getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[before.length + alone.length + 9];
        System.arraycopy(before, 0, buffer, 0, before.length);
        System.arraycopy(alone, 0, buffer, before.length, alone.length);
        System.arraycopy("f,t,x,\n,,".getBytes(StandardCharsets.UTF_8), 0, buffer, before.length + alone.length, 9);
        r.rewrite(buffer, before.length, alone.length);
        assertThat(new String(r.bytes(), 0, r.length(), StandardCharsets.UTF_8)).isEqualTo(rewritten);
        return rewritten;
    }

    @Test
    void rewritesBooleansTimestampsAndTimesToTheirCanonicalForms() {
        Fix[] f = {Fix.NONE, Fix.BOOL, Fix.TIMESTAMP, Fix.TIMESTAMPTZ, Fix.TIME};
        assertThat(rewrite("1,t,2024-01-31 08:30:00,2024-01-31 08:30:00.5+00,08:30:00.123456\n", f))
                .isEqualTo("1,true,2024-01-31T08:30:00.000000,2024-01-31T08:30:00.500000Z,08:30:00.123456\n");
        assertThat(rewrite("2,f,,,\n", f)).isEqualTo("2,false,,,\n");
    }

    @Test
    void copiesTheColumnsAfterTheLastFixedOneWithoutReadingThem() {
        Fix[] f = {Fix.BOOL, Fix.NONE, Fix.NONE};
        assertThat(rewrite("t,\"a,\"\"b\"\"\nc\",2024-01-31 08:30:00\n", f))
                .isEqualTo("true,\"a,\"\"b\"\"\nc\",2024-01-31 08:30:00\n");
        assertThat(rewrite("f,,\n", f)).isEqualTo("false,,\n");
    }

    @Test
    void findsEachFieldWhereverItsDelimiterFallsInAnEightByteWord() {
        // fields of every length 0..20 in turn, so each delimiter lands at each offset of a word
        StringBuilder row = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int len = 0; len <= 20; len++) {
            String filler = "x".repeat(len);
            row.append(filler).append(',').append("2024-01-31 08:30:00.5+00,");
            expected.append(filler).append(',').append("2024-01-31T08:30:00.500000Z,");
        }
        row.append("end\n");
        expected.append("end\n");
        Fix[] f = new Fix[43];
        java.util.Arrays.fill(f, Fix.NONE);
        for (int i = 1; i < 42; i += 2) {
            f[i] = Fix.TIMESTAMPTZ;
        }
        assertThat(rewrite(row.toString(), f)).isEqualTo(expected.toString());
        byte[] bytes = "abcdefgh,ijklmnopq\n".getBytes(StandardCharsets.UTF_8);
        assertThat(CsvRewriter.delimiter(bytes, 0, bytes.length)).isEqualTo(8);
        assertThat(CsvRewriter.delimiter(bytes, 9, bytes.length)).isEqualTo(18);
        assertThat(CsvRewriter.delimiter(bytes, 19, bytes.length)).isEqualTo(19);
        assertThat(CsvRewriter.delimiter(bytes, 0, 7)).isEqualTo(7);
        assertThat(CsvRewriter.delimiter(bytes, 9, 17)).isEqualTo(17);
        assertThat(CsvRewriter.delimiter("\u00e9\u00e8,".getBytes(StandardCharsets.UTF_8), 0, 5)).isEqualTo(4);
    }

    @Test
    void leavesOtherShapesAndOtherColumnsAlone() {
        Fix[] f = {Fix.NONE, Fix.TIMESTAMP, Fix.TIMESTAMPTZ, Fix.NONE, Fix.TIME};
        String row = "\"a,\"\"b\"\"\nc\",0044-03-15 00:00:00 BC,infinity,\"x\",24:00:00\n";
        assertThat(rewrite(row, f)).isEqualTo("\"a,\"\"b\"\"\nc\",0044-03-15 00:00:00 BC,infinity,\"x\",24:00:00.000000\n");
        assertThat(rewrite("12345-01-01 00:00:00,0044-03-15 00:00:00+00 BC\n", Fix.TIMESTAMP, Fix.TIMESTAMPTZ))
                .isEqualTo("12345-01-01 00:00:00,0044-03-15 00:00:00+00 BC\n");
    }
}
