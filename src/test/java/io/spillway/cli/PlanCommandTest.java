package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.testing.Cli;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
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

    /** Each task's line, then its units in two columns: names padded to 50, sizes right-aligned in 12, as ever. */
    @Test
    void printsEachTaskAndItsUnitsInColumns() throws Exception {
        Path db = dir.resolve("columns.sqlite");
        String longName = "a_table_whose_name_is_longer_than_the_fifty_characters_of_its_column";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE short (id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("CREATE TABLE " + longName + " (id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("INSERT INTO short WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                    + " SELECT i, printf('%0500d', i) FROM n");
            s.execute("INSERT INTO " + longName + " VALUES (1, 'x')");
        }
        Cli.Result result = Cli.run("plan", "--source", "sqlite:" + db, "--tasks", "3", "--split-size", "never");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        Matcher task = Pattern.compile("task 0: 1 units, (.+)").matcher(lines.get(0));
        assertThat(task.matches()).as(result.out()).isTrue();
        String size = task.group(1);
        assertThat(size).matches("[0-9]+\\.[0-9] [KM]iB");
        assertThat(lines.get(1)).isEqualTo(String.format(Locale.ROOT, "    %-50s %12s", "short", size));
        assertThat(lines.get(2)).matches("task 1: 1 units, .+");
        assertThat(lines.get(3)).isEqualTo(String.format(Locale.ROOT, "    %-50s %12s", longName,
                lines.get(2).substring("task 1: 1 units, ".length())));
        assertThat(lines.get(4)).isEqualTo("task 2: 0 units, 0 B");
        assertThat(lines.get(5)).startsWith("2 tables, 2 units, ");
    }

    private static double largest(Cli.Result result) {
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        Matcher m = LARGEST.matcher(result.out());
        assertThat(m.find()).as(result.out()).isTrue();
        return Double.parseDouble(m.group(1).replace(',', '.').toLowerCase(Locale.ROOT));
    }
}
