package io.spillway.store;

import io.spillway.job.JobException;
import io.spillway.store.local.LocalStore;
import java.net.URI;
import java.nio.file.Path;

/** Opens the store named by a destination URI. */
public final class Stores {
    private Stores() {}

    public static Store open(String dest) {
        String d = dest.trim();
        int colon = d.indexOf(':');
        String scheme = colon > 1 ? d.substring(0, colon).toLowerCase(java.util.Locale.ROOT) : "";
        return switch (scheme) {
            case "", "file" -> new LocalStore(scheme.isEmpty() ? Path.of(d) : Path.of(URI.create(d)));
            default -> throw new JobException("unknown destination '" + d
                    + "': use a folder, file:///ABS/PATH, gs://BUCKET/PREFIX or s3://BUCKET/PREFIX");
        };
    }
}
