package io.spillway.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spillway.config.JobConfig;
import io.spillway.engine.ExitCode;
import io.spillway.engine.TaskContext;
import io.spillway.engine.TaskStatus;
import io.spillway.engine.Tasks;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.testing.Chromium;
import io.spillway.testing.Cli;
import io.spillway.testing.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spillway status --html} on a DuckDB export whose task 1 failed once and was retried, with
 * table names that are markup: the page shows every task and attempt, and a browser runs its script
 * without error and none of the names'.
 */
class HtmlReportDuckDbTest {
    static final String SCRIPT_NAME = "<script>document.title='pwned'</script>";
    static final String ATTRIBUTE_NAME = "\"><img src=x onerror=\"document.title='pwned too'\">";

    @TempDir
    static Path dir;
    static Path dest;
    static Path page;
    static String execution = "html-test";

    @BeforeAll
    static void exportWithARetry() throws Exception {
        Path db = dir.resolve("w.duckdb");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute(Warehouse.table("big", 4000));
            s.execute(Warehouse.table("middle", 2000));
            s.execute(Warehouse.table(SCRIPT_NAME, 300));
            s.execute(Warehouse.table(ATTRIBUTE_NAME, 200));
            s.execute(Warehouse.table("small", 50));
        }
        dest = dir.resolve("out");
        JobConfig config = new JobConfig("duckdb:" + db, dest.toString(), Format.CSV, Compression.GZIP, 1 << 20, 0,
                List.of(), List.of(), JobConfig.Versioning.REPLACE, 3, 1, 0, Duration.ofHours(1)).validate();
        Tasks.run(config, new TaskContext(0, 3, 0, execution, "test"));
        Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
        String table = plan.unitsOf(1).get(0).table();
        String q = "\"" + table.replace("\"", "\"\"") + "\"";
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + q + " RENAME TO gone_for_a_while");
        }
        assertThatThrownBy(() -> Tasks.run(config, new TaskContext(1, 3, 0, execution, "test")))
                .hasMessageContaining("no longer in");
        try (Connection c = Warehouse.open(db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE gone_for_a_while RENAME TO " + q);
        }
        Tasks.run(config, new TaskContext(1, 3, 1, execution, "test"));
        Tasks.run(config, new TaskContext(2, 3, 0, execution, "test"));
        page = dir.resolve("report.html");
        Cli.Result r = Cli.run("status", "--dest", dest.toString(), "--html", page.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEqualTo("Wrote the report of execution " + execution + " to " + page + "\n");
    }

    @Test
    void aRetryKeepsTheStatusOfTheAttemptItReplaced() throws Exception {
        TaskStatus first = Json.read(Files.readAllBytes(dest.resolve(Layout.taskAttempt(execution, 1, 0))),
                TaskStatus.class, "attempt");
        assertThat(first.state()).isEqualTo(TaskStatus.State.FAILED);
        assertThat(first.error()).contains("no longer in");
        assertThat(Files.exists(dest.resolve(Layout.taskAttempt(execution, 0, 0)))).as("no copy without a retry").isFalse();
    }

    @Test
    void thePageShowsEveryTaskEveryAttemptAndEveryUnitAndEscapesEveryName() throws Exception {
        String html = Files.readString(page);
        assertThat(count(html, "<g class=\"task-row\" data-task=\"\\d\">")).isEqualTo(3);
        assertThat(count(html, "<tr class=\"task\" data-task=\"\\d\">")).isEqualTo(3);
        assertThat(count(html, "<rect class=\"unit\"")).isEqualTo(5);
        assertThat(count(html, "<rect class=\"attempt succeeded\"")).isEqualTo(3);
        assertThat(count(html, "<rect class=\"attempt failed\"")).isEqualTo(1);
        assertThat(html).contains(">↻1</text>").contains("#0 FAILED").contains("#1 SUCCEEDED")
                .contains("<h2>Balance</h2>").contains("<h2>Tables</h2>").contains("<h2>Slowest units</h2>");
        assertThat(html).doesNotContain(SCRIPT_NAME).doesNotContain("<img")
                .contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;")
                .contains("&quot;&gt;&lt;img src=x onerror=&quot;document.title=&#39;pwned too&#39;&quot;&gt;");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(count(html, "<script>")).as("only its own two scripts").isEqualTo(2);
    }

    @Test
    void aHeadlessBrowserLoadsThePageRunsItsScriptWithoutErrorAndNoneOfTheNames() throws Exception {
        Optional<Path> chromium = Chromium.find();
        assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium): the page is not"
                + " loaded in a browser");
        Chromium.Page loaded = Chromium.dumpDom(chromium.get(), page, Files.createTempDirectory(dir, "chromium"));
        assertThat(loaded.dom()).contains("data-ready=\"yes\"")
                .contains("Timeline of 3 tasks drawn")
                .contains("<p id=\"errors\" hidden=\"\"></p>")
                .contains("<title>Spillway execution " + execution + "</title>")
                .doesNotContain("pwned</title>").doesNotContain("<img");
        assertThat(count(loaded.dom(), "<g class=\"task-row\" data-task=\"\\d\"")).isEqualTo(3);
        assertThat(loaded.log()).doesNotContain("Uncaught").doesNotContain("CONSOLE");
    }

    @Test
    void noExecutionToDrawIsABadJob() throws Exception {
        Path empty = Files.createTempDirectory(dir, "empty");
        Cli.Result r = Cli.run("status", "--dest", empty.toString(), "--html", dir.resolve("none.html").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(r.err()).startsWith("spillway: no executions at ");
    }

    static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }
}
