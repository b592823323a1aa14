package io.spillway.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {
    @Test
    void plainNamesStayAsTheyAre() {
        assertThat(Layout.segment("dummy_01")).isEqualTo("dummy_01");
        assertThat(Layout.segment("Orders-2024.v2")).isEqualTo("Orders-2024.v2");
        assertThat(Layout.shardName("orders", 3, Format.CSV, Compression.GZIP)).isEqualTo("orders_000000000003.csv.gz");
    }

    @Test
    void noTableNameLeavesTheDestinationOrReachesTheStateFolder() {
        Path root = Path.of("/dest");
        for (String name : List.of("..", ".", "../etc/passwd", "a/b", "/abs", "a\\b", "_spillway", "_SPILLWAY_x", ".hidden",
                "x\u0000y", "新しい表", "a b", "semi;colon", "%2e%2e", "\u202Eevil")) {
            String segment = Layout.segment(name);
            assertThat(segment).as(name).doesNotContain("/").doesNotContain("\\").isNotIn(".", "..")
                    .doesNotStartWith(".").doesNotStartWithIgnoringCase("_spillway").matches("[A-Za-z0-9_.%~-]+");
            Path p = root.resolve(segment).normalize();
            assertThat(p.getParent()).isEqualTo(root);
        }
        assertThat(Layout.segment("a/b")).isEqualTo("a%2Fb");
        assertThat(Layout.segment("%2e")).isNotEqualTo(Layout.segment("."));
    }

    @Test
    void distinctNamesGetDistinctSegments() {
        List<String> names = List.of("a b", "a%20b", "a_b", "A_b", "a.b", "a/b", "a%2Fb", "x".repeat(300), "x".repeat(301));
        assertThat(names.stream().map(Layout::segment).distinct()).hasSize(names.size());
        assertThat(Layout.segment("x".repeat(300)).length()).isLessThanOrEqualTo(200);
    }

    @Test
    void cutNamesStayApartWhenTheirJavaHashCodesCollide() {
        String prefix = "x".repeat(250);
        assertThat((prefix + "Aa").hashCode()).isEqualTo((prefix + "BB").hashCode());
        String aa = Layout.segment(prefix + "Aa");
        String bb = Layout.segment(prefix + "BB");
        assertThat(aa).isNotEqualTo(bb).hasSizeLessThanOrEqualTo(200).matches("x+~[0-9a-f]{16}");
        assertThat(bb).hasSizeLessThanOrEqualTo(200).matches("x+~[0-9a-f]{16}");
    }

    @Test
    void aCutNeverLeavesHalfAnEscapeBeforeTheHash() {
        for (int pad = 0; pad < 3; pad++) {
            String segment = Layout.segment("a".repeat(pad) + "表".repeat(80));
            assertThat(segment).as("pad " + pad).hasSizeLessThanOrEqualTo(200)
                    .matches("a*(%[0-9A-F]{2})+~[0-9a-f]{16}");
        }
    }
}
