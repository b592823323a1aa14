package io.spillway.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spillway.config.JobConfig;
import io.spillway.layout.Json;
import io.spillway.layout.Layout;
import io.spillway.plan.Plan;
import io.spillway.publish.UnitRecord;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.testing.Chromium;
import io.spillway.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spillway status --html} on a PostgreSQL export whose large table is cut into key ranges across tasks. */
class HtmlReportPostgresTest {
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    @Test
    void everyTaskAndEveryUnitOfASplitTableIsDrawnAndTheBrowserLoadsThePage() throws Exception {
        String schema = Exports.unique("sw_html");
        try (Connection c = DriverManager.getConnection(JDBC); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            try {
                s.execute("CREATE TABLE " + schema + ".events (id bigint PRIMARY KEY, body text)");
                s.execute("INSERT INTO " + schema + ".events SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
                s.execute("CREATE TABLE " + schema + ".\"<b>bold</b>\" (v int)");
                s.execute("ANALYZE " + schema + ".events");
                Path dest = dir.resolve("out");
                String execution = Exports.run(new JobConfig("postgresql://postgres@127.0.0.1:5432/test?schema=" + schema,
                        dest.toString(), Format.PARQUET, Compression.SNAPPY, 1 << 30, 1 << 20, List.of(), List.of(),
                        JobConfig.Versioning.REPLACE, 4, 1, 0, Duration.ofHours(1)).validate());
                Plan plan = Json.read(Files.readAllBytes(dest.resolve(Layout.plan(execution))), Plan.class, "plan");
                assertThat(plan.unitsOfTable("events")).hasSizeGreaterThan(3);
                UnitRecord record = Json.read(Files.readAllBytes(dest.resolve(Layout.unitRecord(execution, "events", 0))),
                        UnitRecord.class, "record");
                assertThat(record.startedAt()).isNotNull().isBeforeOrEqualTo(record.committedAt());

                Path page = dir.resolve("report.html");
                Cli.Result r = Cli.run("status", "--dest", dest.toString(), "--html", page.toString());
                assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
                String html = Files.readString(page);
                assertThat(HtmlReportDuckDbTest.count(html, "<g class=\"task-row\" data-task=\"\\d\">")).isEqualTo(4);
                assertThat(HtmlReportDuckDbTest.count(html, "<rect class=\"unit\"")).isEqualTo(plan.assignments().size());
                assertThat(html).contains("events (part 1 of ").contains("&lt;b&gt;bold&lt;/b&gt;")
                        .doesNotContain("<b>bold");

                Optional<Path> chromium = Chromium.find();
                assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium): the page is"
                        + " not loaded in a browser");
                Chromium.Page loaded = Chromium.dumpDom(chromium.get(), page, Files.createTempDirectory(dir, "chromium"));
                assertThat(loaded.dom()).contains("data-ready=\"yes\"").contains("Timeline of 4 tasks drawn")
                        .contains("<p id=\"errors\" hidden=\"\"></p>");
                assertThat(loaded.log()).doesNotContain("Uncaught");
            } finally {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
