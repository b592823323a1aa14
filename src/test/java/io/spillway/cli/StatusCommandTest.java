package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spillway status} on the export that {@code spillway demo} makes. */
class StatusCommandTest {
    @TempDir
    static Path dir;

    private record Result(int code, String out, String err) {}

    private static Result spillway(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void demo() {
        Result r = spillway("demo", "--dir", dir.toString(), "--tasks", "4", "--parallelism", "2", "--scale", "0.05");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
    }

    @Test
    void everyTaskOfTheDemoSucceededWithRowsAndBytes() throws Exception {
        Result r = spillway("status", "--dest", dir.resolve("export").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode status = Json.MAPPER.readTree(r.out());
        assertThat(status.get("executions")).hasSize(1);
        JsonNode summary = status.at("/execution/summary");
        assertThat(summary.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(summary.get("tasks").asInt()).isEqualTo(4);
        assertThat(summary.get("tasksSucceeded").asInt()).isEqualTo(4);
        assertThat(summary.get("tablesPublished").asInt()).isEqualTo(30);
        for (JsonNode task : status.at("/execution/tasks")) {
            assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(task.get("attempt").asInt()).isZero();
            assertThat(task.get("unitsCommitted").asInt()).isEqualTo(task.get("units").asInt()).isPositive();
            assertThat(task.get("rows").asLong()).isPositive();
            assertThat(task.get("bytes").asLong()).isPositive();
            assertThat(task.get("startedAt").asText()).isNotEmpty();
            assertThat(task.get("seconds").asDouble()).isPositive();
            assertThat(task.get("error").isNull()).isTrue();
        }
        JsonNode tables = status.at("/execution/tables");
        assertThat(tables).hasSize(30);
        long taskRows = 0;
        long tableRows = 0;
        for (JsonNode t : status.at("/execution/tasks")) {
            taskRows += t.get("rows").asLong();
        }
        for (JsonNode t : tables) {
            assertThat(t.get("published").asBoolean()).as(t.toString()).isTrue();
            assertThat(t.get("files").asInt()).isPositive();
            tableRows += t.get("rows").asLong();
        }
        assertThat(taskRows).isEqualTo(tableRows);
    }

    @Test
    void textViewListsExecutionsTasksAndTables() {
        Result r = spillway("status", "--dest", dir.resolve("export").toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("Executions at ").endsWith(", newest first:");
        assertThat(r.out()).contains("SUCCEEDED; 4 of 4 tasks succeeded, 30 of 30 units committed, 30 of 30 tables published");
        assertThat(lines).anyMatch(l -> l.matches("\\s+TASK\\s+STATE\\s+ATTEMPT\\s+UNITS\\s+ROWS\\s+BYTES\\s+STARTED\\s+DURATION\\s+LAST ERROR"));
        assertThat(lines.stream().filter(l -> l.matches("\\s+\\d+\\s+SUCCEEDED\\s+0\\s+\\d+/\\d+\\s+\\d+\\s+.*"))).hasSize(4);
        assertThat(lines.stream().filter(l -> l.matches("\\s+dummy_\\d\\d\\s+yes\\s+1/1\\s+\\d+\\s+1\\s+.*"))).hasSize(30);
    }

    @Test
    void anUnknownExecutionIsABadJobAndAnEmptyDestinationSaysSo(@TempDir Path empty) {
        Result unknown = spillway("status", "--dest", dir.resolve("export").toString(), "--execution", "nope");
        assertThat(unknown.code()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(unknown.err()).contains("no execution nope at");
        Result none = spillway("status", "--dest", empty.toString());
        assertThat(none.code()).isZero();
        assertThat(none.out()).startsWith("No executions at ");
        assertThat(spillway("status").code()).isEqualTo(ExitCode.BAD_JOB.code);
    }

    @Test
    void logFormatIsAnOptionOfEveryCommand() {
        assertThat(spillway("status", "--log-format", "xml", "--dest", dir.toString()).err())
                .contains("unknown log format 'xml'");
        assertThat(spillway("status", "--log-format", "xml", "--dest", dir.toString()).code())
                .isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(spillway("--log-format", "text", "status", "--dest", dir.resolve("export").toString()).code()).isZero();
    }
}
