package io.spillway.store;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.StoreFactory;
import io.spillway.spi.UriParts;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Opens the store named by a destination URI, through the {@link StoreFactory} of its scheme. */
public final class Stores {
    private static final List<StoreFactory> FACTORIES = ServiceLoader.load(StoreFactory.class).stream()
            .map(ServiceLoader.Provider::get).toList();

    private Stores() {}

    public static Store open(String dest) {
        return open(dest, System.getenv());
    }

    /** Opens {@code dest}; buckets read their endpoint, region and credentials from {@code env}. */
    public static Store open(String dest, Map<String, String> env) {
        String d = dest.trim();
        int colon = d.indexOf(':');
        String scheme = colon > 1 ? d.substring(0, colon).toLowerCase(Locale.ROOT) : ""; // C:\ is a folder
        return FACTORIES.stream().filter(f -> f.schemes().contains(scheme)).findFirst()
                .orElseThrow(() -> new JobException("unknown destination '" + UriParts.parse(d).redacted() + "': use "
                        + FACTORIES.stream().map(StoreFactory::usage).collect(Collectors.joining(", "))))
                .open(d, env);
    }
}
