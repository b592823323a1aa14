package io.spillway.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.cli.Main;
import io.spillway.config.JobConfig;
import io.spillway.engine.ExitCode;
import io.spillway.engine.TaskContext;
import io.spillway.engine.Tasks;
import io.spillway.layout.Manifest;
import io.spillway.plan.Plans;
import io.spillway.source.Sources;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Source;
import io.spillway.store.local.LocalStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MySqlErrorsTest {
    @TempDir
    Path dir;

    private String[] run(String source) {
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(new StringWriter()));
        int code = cmd.execute("run", "--source", source, "--dest", dir.toString(), "--tasks", "1");
        return new String[] {Integer.toString(code), err.toString().strip()};
    }

    @Test
    void aWrongPasswordIsTheJobsFault() {
        String[] r = run("mysql://root:wrong-s3cret@127.0.0.1:3306/test");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).startsWith("spillway: cannot log in to MySQL/MariaDB at 127.0.0.1:3306 as 'root'")
                .doesNotContain("s3cret").doesNotContain("\n");
    }

    @Test
    void anUnknownDatabaseIsTheJobsFaultAndAnUnreachableServerMayBeRetried() {
        String[] db = run("mariadb://root@127.0.0.1:3306/no_such_db_x");
        assertThat(db[0]).isEqualTo("2");
        assertThat(db[1]).contains("database 'no_such_db_x' does not exist").doesNotContain("\n");
        String[] down = run("jdbc:mariadb://127.0.0.1:1/test?user=root&password=pw-s3cret");
        assertThat(down[0]).isEqualTo("1");
        assertThat(down[1]).startsWith("spillway: cannot reach MySQL/MariaDB at 127.0.0.1:1").doesNotContain("s3cret")
                .doesNotContain("\n");
    }

    @Test
    void consistentIsRefusedInOneLineSayingWhy() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_consistent")) {
            db.sql("CREATE TABLE " + db.q("t") + " (id INT PRIMARY KEY)", "INSERT INTO " + db.q("t") + " VALUES (1)");
            StringWriter err = new StringWriter();
            var cmd = Main.commandLine(Map.of());
            cmd.setErr(new PrintWriter(err));
            cmd.setOut(new PrintWriter(new StringWriter()));
            int code = cmd.execute("run", "--source", db.uri(), "--dest", dir.resolve("out").toString(), "--consistent");
            assertThat(code).isEqualTo(ExitCode.BAD_JOB.code);
            assertThat(err.toString().strip()).startsWith("spillway: --consistent is not offered for MySQL or MariaDB:")
                    .contains("cannot share it").doesNotContain("\n");
        }
    }

    @Test
    void aTableDroppedAfterPlanningFailsItsUnitAndLeavesThePreviousExportAlone() throws Exception {
        try (MyTestDb db = new MyTestDb("sw_drop")) {
            db.sql("CREATE TABLE " + db.q("t") + " (id INT PRIMARY KEY)", "INSERT INTO " + db.q("t") + " VALUES (1), (2)");
            JobConfig config = Exports.config(db.uri(), dir, 1, 0, 1 << 30, List.of());
            Exports.run(config);
            Manifest before = Exports.manifest(dir, "t");
            try (LocalStore store = new LocalStore(dir); Source source = Sources.open(db.uri())) {
                Plans.loadOrMake(store, source, config, "after-drop", 1, java.time.Clock.systemUTC());
            }
            db.sql("DROP TABLE " + db.q("t"));
            assertThatThrownBy(() -> Tasks.run(config, new TaskContext(0, 1, 0, "after-drop", "test")))
                    .satisfies(e -> assertThat(ExitCode.of(e)).isEqualTo(ExitCode.BAD_JOB))
                    .hasMessageContaining("dropped or renamed after planning");
            assertThat(Exports.manifest(dir, "t")).isEqualTo(before);
        }
    }
}
