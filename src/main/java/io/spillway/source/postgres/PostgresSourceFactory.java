package io.spillway.source.postgres;

import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import java.util.Map;
import java.util.Set;

/** {@code postgresql://...}: see {@link PostgresSource}. */
public final class PostgresSourceFactory implements SourceFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public String usage() {
        return "postgresql://...";
    }

    @Override
    public Set<String> secretOptions() {
        return Set.of("password", "sslpassword");
    }

    @Override
    public Source open(String uri, Map<String, String> env) {
        return PostgresSource.open(uri);
    }
}
