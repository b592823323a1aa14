package io.spillway.source.sqlite;

import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import java.util.Map;
import java.util.Set;

/** {@code sqlite:PATH}: see {@link SqliteSource}. */
public final class SqliteSourceFactory implements SourceFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("sqlite");
    }

    @Override
    public String usage() {
        return "sqlite:PATH";
    }

    @Override
    public Source open(String uri, Map<String, String> env) {
        return SqliteSource.open(uri);
    }
}
