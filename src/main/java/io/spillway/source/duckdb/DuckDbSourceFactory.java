package io.spillway.source.duckdb;

import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import java.util.Map;
import java.util.Set;

/** {@code duckdb:PATH}: see {@link DuckDbSource}. */
public final class DuckDbSourceFactory implements SourceFactory {
    private static volatile boolean keepUntilExit;

    @Override
    public Set<String> schemes() {
        return Set.of("duckdb");
    }

    @Override
    public String usage() {
        return "duckdb:PATH";
    }

    @Override
    public Source open(String uri, Map<String, String> env) {
        return DuckDbSource.open(uri, env);
    }

    /**
     * From now on, each file's database stays open until the process exits, never closed (see {@link DuckDbSource}).
     * The flag is kept here, not in {@code DuckDbSource}: a process whose source is another kind does not load or
     * initialize that class (nor wait, at its start, for the logging it sets up).
     */
    @Override
    public void processEndsWithCommand() {
        keepUntilExit = true;
    }

    static boolean keepsDatabasesUntilExit() {
        return keepUntilExit;
    }
}
