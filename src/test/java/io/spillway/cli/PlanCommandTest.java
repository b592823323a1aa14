package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.testing.Cli;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's 30 unequal tables on 10 tasks: balanced by default, as unbalanced as the seed with --split-size never. */
class PlanCommandTest {
    private static final Pattern LARGEST = Pattern.compile("largest task ([0-9.]+) x the mean");

    @TempDir
    Path dir;

    @Test
    void theDefaultSplitKeepsTheLargestTaskNearTheMean() throws Exception {
        Path db = dir.resolve("warehouse.duckdb");
        DemoCommand.create(db, 1);
        double auto = largest(Cli.run("plan", "--source", "duckdb:" + db, "--tasks", "10"));
        double never = largest(Cli.run("plan", "--source", "duckdb:" + db, "--tasks", "10", "--split-size", "never"));
        assertThat(auto).isLessThanOrEqualTo(1.2);
        assertThat(never).isGreaterThan(2.0);
        assertThat(largest(Cli.run("plan", "--source", "duckdb:" + db, "--tasks", "1"))).isEqualTo(1.0);
    }

    private static double largest(Cli.Result result) {
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        Matcher m = LARGEST.matcher(result.out());
        assertThat(m.find()).as(result.out()).isTrue();
        return Double.parseDouble(m.group(1).replace(',', '.').toLowerCase(Locale.ROOT));
    }
}
