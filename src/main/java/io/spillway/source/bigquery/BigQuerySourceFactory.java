package io.spillway.source.bigquery;

import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import java.util.Map;
import java.util.Set;

/** {@code bigquery://PROJECT/DATASET}: see {@link BigQuerySource}. */
public final class BigQuerySourceFactory implements SourceFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("bigquery");
    }

    @Override
    public String usage() {
        return "bigquery://PROJECT/DATASET";
    }

    @Override
    public Source open(String uri, Map<String, String> env) {
        return BigQuerySource.open(uri, env);
    }
}
