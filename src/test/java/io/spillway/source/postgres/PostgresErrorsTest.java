package io.spillway.source.postgres;

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
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets one line that says what to fix, the documented exit code, no password, and no lost export. */
class PostgresErrorsTest {
    @TempDir
    Path dir;

    private record Result(int code, String err) {}

    private Result run(String source) {
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(new StringWriter()));
        int code = cmd.execute("run", "--source", source, "--dest", dir.toString(), "--tasks", "1");
        return new Result(code, err.toString().strip());
    }

    @Test
    void aWrongPasswordIsTheJobsFault() throws Exception {
        // the local server trusts loopback, so a stand-in answers the login as a server that checks passwords does
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> refuseLogin(server));
            t.setDaemon(true);
            t.start();
            Result r = run("postgresql://alice:s3cret-pw@127.0.0.1:" + server.getLocalPort() + "/test");
            assertThat(r.code).isEqualTo(2);
            assertThat(r.err).startsWith("spillway: cannot log in to PostgreSQL at 127.0.0.1:")
                    .contains("as 'alice'", "check the user and password").doesNotContain("s3cret").doesNotContain("\n");
        }
    }

    @Test
    void aRealServerThatChecksPasswordsTakesTheRightOneAndRefusesAWrongOne() throws Exception {
        Assumptions.assumeTrue(PasswordServer.available(), "needs root and PostgreSQL's server binaries");
        try (PasswordServer server = PasswordServer.start()) {
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port
                    + "/postgres?user=postgres&password=" + PasswordServer.PASSWORD); var s = c.createStatement()) {
                s.execute("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 5) g");
            }
            Result wrong = run(server.uri("not-the-pw"));
            assertThat(wrong.code).isEqualTo(2);
            assertThat(wrong.err).isEqualTo("spillway: cannot log in to PostgreSQL at 127.0.0.1:" + server.port
                    + " as 'postgres': check the user and password in --source"
                    + " (password authentication failed for user \"postgres\")");
            Result right = run(server.uri(PasswordServer.PASSWORD));
            assertThat(right.code).as(right.err).isZero();
            assertThat(Exports.read(dir, "t")).hasSize(6);
        }
    }

    private static void refuseLogin(ServerSocket server) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                int len = in.readInt();
                int code = in.readInt();
                in.skipNBytes(len - 8);
                if (code == 80877103 || code == 80877104) { // SSL or GSS encryption request: not here
                    out.write('N');
                    out.flush();
                    continue;
                }
                byte[] body = "SFATAL\0C28P01\0Mpassword authentication failed for user \"alice\"\0\0"
                        .getBytes(StandardCharsets.UTF_8);
                out.write('E');
                out.writeInt(body.length + 4);
                out.write(body);
                out.flush();
                return;
            }
        } catch (Exception e) {
            // the client went away
        }
    }

    @Test
    void anUnreachableServerMayBeRetried() {
        Result r = run("postgresql://postgres:pw@127.0.0.1:1/test");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).startsWith("spillway: cannot reach PostgreSQL at 127.0.0.1:1").doesNotContain("pw@")
                .doesNotContain("\n");
    }

    @Test
    void anUnknownHostIsTheJobsFault() {
        Result r = run("postgresql://postgres:pw@no-such-host.invalid/test");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).isEqualTo("spillway: unknown host 'no-such-host.invalid' for PostgreSQL: check the host in --source");
    }

    @Test
    void anUnknownDatabaseOrSchemaIsTheJobsFault() {
        Result db = run("postgresql://postgres:pw@127.0.0.1:5432/no_such_db_" + System.nanoTime());
        assertThat(db.code).isEqualTo(2);
        assertThat(db.err).contains("database 'no_such_db_").contains("does not exist").doesNotContain("\n");
        Result schema = run("postgresql://postgres:pw@127.0.0.1:5432/test?schema=no_such_schema");
        assertThat(schema.code).isEqualTo(2);
        assertThat(schema.err).contains("schema 'no_such_schema' does not exist").doesNotContain("pw").doesNotContain("\n");
    }

    @Test
    void aTableDroppedAfterPlanningFailsItsUnitAndLeavesThePreviousExportAlone() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_drop")) {
            db.sql("CREATE TABLE " + db.q("t") + " (id int PRIMARY KEY)", "INSERT INTO " + db.q("t") + " VALUES (1), (2)");
            JobConfig config = Exports.config(db.uri(), dir, 1, 0, 1 << 30, List.of());
            Exports.run(config);
            Manifest before = Exports.manifest(dir, "t");

            try (LocalStore store = new LocalStore(dir); Source source = Sources.open(db.uri())) {
                Plans.loadOrMake(store, source, config, "after-drop", 1, java.time.Clock.systemUTC());
            }
            db.sql("DROP TABLE " + db.q("t"));
            assertThatThrownBy(() -> Tasks.run(config, new TaskContext(0, 1, 0, "after-drop", "test")))
                    .satisfies(e -> assertThat(ExitCode.of(e)).isEqualTo(ExitCode.BAD_JOB))
                    .hasMessageContaining("table t").hasMessageContaining("dropped or renamed after planning");
            assertThat(Exports.manifest(dir, "t")).isEqualTo(before);
            assertThat(Exports.read(dir, "t")).hasSize(3);
        }
    }

    @Test
    void aRangeEmptiedByAConcurrentDeleteExportsWhatIsLeft() throws Exception {
        try (PgTestDb db = new PgTestDb("sw_empty")) {
            db.sql("CREATE TABLE " + db.q("t") + " (id int PRIMARY KEY, pad text)",
                    "INSERT INTO " + db.q("t") + " SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g");
            JobConfig config = Exports.config(db.uri(), dir, 2, 64 * 1024, 1 << 30, List.of());
            try (LocalStore store = new LocalStore(dir); Source source = Sources.open(db.uri())) {
                Plans.loadOrMake(store, source, config, "emptied", 2, java.time.Clock.systemUTC());
            }
            db.sql("DELETE FROM " + db.q("t") + " WHERE id <= 1000");
            for (int t = 0; t < 2; t++) {
                Tasks.run(config, new TaskContext(t, 2, 0, "emptied", "test"));
            }
            List<List<String>> rows = Exports.read(dir, "t");
            assertThat(rows).hasSize(1001);
            assertThat(rows.subList(1, rows.size())).allMatch(r -> Integer.parseInt(r.get(0)) > 1000);
        }
    }
}
