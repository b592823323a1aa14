import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.Callable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The floor of a one-row task's fixed cost (bench/fixed-cost.sh): the least an export task does, with the
 * libraries Spillway uses (picocli, SLF4J and logback, PostgreSQL's driver, Jackson), and nothing else:
 * parse its options, connect, {@code COPY} a table into a CSV file, write a small JSON record, log a line.
 * No plan, store, retry, publish or journal. Run from its own small class path and class data archive.
 */
@Command(name = "bare", mixinStandardHelpOptions = true)
public final class BareTask implements Callable<Integer> {
    @Option(names = "--source", required = true) String source;
    @Option(names = "--table", required = true) String table;
    @Option(names = "--dest", required = true) Path dest;
    @Option(names = "--tasks", defaultValue = "1") int tasks;
    @Option(names = "--task-index", defaultValue = "0") int index;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BareTask()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(BareTask.class);
        Files.createDirectories(dest);
        long rows;
        try (Connection c = DriverManager.getConnection(source);
                OutputStream out = new FileOutputStream(dest.resolve(table + ".csv").toFile())) {
            rows = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (SELECT * FROM " + table + ") TO STDOUT (FORMAT csv, HEADER)", out);
        }
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dest.resolve("_MANIFEST.json").toFile(),
                Map.of("table", table, "rows", rows, "task", index, "tasks", tasks));
        log.info("Exported {} rows of {}", rows, table);
        return 0;
    }
}
