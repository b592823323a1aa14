package io.spillway.cli;

import io.spillway.config.Sizes;
import io.spillway.engine.ExitCode;
import io.spillway.publish.Journal;
import io.spillway.publish.PublishIntent;
import io.spillway.source.Sources;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.store.Stores;
import io.spillway.verify.Verification;
import io.spillway.verify.Verifier;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Reads every file of every current manifest at a destination back and checks it; exits 0 when
 * everything holds, 1 with one line per mismatch. Writes nothing.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Reads every file that the manifests at a destination list and checks its size, CRC32C and"
                + " rows; with --against-source, also each table's row count in the source now.")
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--dest", paramLabel = "URI", description = "the destination to verify")
    String dest;

    @Option(names = "--table", paramLabel = "GLOB", split = ",",
            description = "only tables whose names match ('*', '?', '[abc]'; repeat or separate with commas)")
    List<String> tables = List.of();

    @Option(names = "--against-source", paramLabel = "SOURCE",
            description = "also compare each table's rows with a count in this source now (a source URI as for run)")
    String against;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "files read at once (default: ${DEFAULT-VALUE})")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (dest == null || dest.isBlank()) {
            throw new JobException("--dest is missing (or SPILLWAY_DEST): the destination to verify");
        }
        long start = System.nanoTime();
        Verification v;
        String where;
        List<PublishIntent> unfinished;
        try (Store store = Stores.open(dest); Source source = against == null ? null : Sources.open(against)) {
            v = new Verifier(store, threads).verify(tables, source);
            where = store.uri() + (source == null ? "" : " against " + source.uri());
            unfinished = new Journal(store, Clock.systemUTC(), Journal.defaultLease()).unfinished();
        }
        PrintWriter out = spec.commandLine().getOut();
        v.notes().forEach(n -> out.println("note: " + n));
        v.warnings().forEach(w -> out.println("warning: " + w));
        v.mismatches().forEach(m -> out.println("MISMATCH: " + m));
        for (PublishIntent p : unfinished) {
            out.printf("MISMATCH: table %s: a publish by execution %s, begun %s, was cut short; the next task or run"
                    + " that touches the table finishes it (spillway run --execution %s does)%n", p.table(),
                    p.execution(), p.createdAt(), p.execution());
        }
        boolean holds = v.holds() && unfinished.isEmpty();
        int mismatches = v.mismatches().size() + unfinished.size();
        out.printf(Locale.ROOT, "Verified %d tables, %d files, %s, %d rows at %s in %.1f s: %s%n", v.tables(),
                v.files(), Sizes.format(v.bytes()), v.rows(), where, (System.nanoTime() - start) / 1e9,
                holds ? "all hold" : mismatches + (mismatches == 1 ? " mismatch" : " mismatches"));
        out.flush();
        return holds ? ExitCode.OK.code : ExitCode.FAILED.code;
    }
}
