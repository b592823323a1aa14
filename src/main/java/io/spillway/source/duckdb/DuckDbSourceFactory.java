package io.spillway.source.duckdb;

import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import java.util.Map;
import java.util.Set;

/** {@code duckdb:PATH}: see {@link DuckDbSource}. */
public final class DuckDbSourceFactory implements SourceFactory {
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
        return DuckDbSource.open(uri);
    }

    @Override
    public void processEndsWithCommand() {
        DuckDbSource.keepDatabasesUntilExit();
    }
}
