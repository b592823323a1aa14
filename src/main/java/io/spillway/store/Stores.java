package io.spillway.store;

import io.spillway.job.JobException;
import io.spillway.store.gcs.GcsStore;
import io.spillway.store.local.LocalStore;
import io.spillway.store.s3.S3Store;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Opens the store named by a destination URI. */
public final class Stores {
    private Stores() {}

    public static Store open(String dest) {
        return open(dest, System.getenv());
    }

    /** Opens {@code dest}; buckets read their endpoint, region and credentials from {@code env}. */
    public static Store open(String dest, Map<String, String> env) {
        String d = dest.trim();
        int colon = d.indexOf(':');
        String scheme = colon > 1 ? d.substring(0, colon).toLowerCase(java.util.Locale.ROOT) : "";
        return switch (scheme) {
            case "", "file" -> new LocalStore(scheme.isEmpty() ? Path.of(d) : Path.of(URI.create(d)));
            case "gs" -> GcsStore.open(d, env);
            case "s3" -> S3Store.open(d, env);
            default -> throw new JobException("unknown destination '" + d
                    + "': use a folder, file:///ABS/PATH, gs://BUCKET/PREFIX or s3://BUCKET/PREFIX");
        };
    }
}
