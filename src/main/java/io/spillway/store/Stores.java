package io.spillway.store;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.UriParts;
import io.spillway.store.gcs.GcsStore;
import io.spillway.store.local.LocalStore;
import io.spillway.store.s3.S3Store;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
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
            case "", "file" -> new LocalStore(scheme.isEmpty() ? folder(d) : fileUri(d));
            case "gs" -> GcsStore.open(d, env);
            case "s3" -> S3Store.open(d, env);
            default -> throw new JobException("unknown destination '" + UriParts.parse(d).redacted()
                    + "': use a folder, file:///ABS/PATH, gs://BUCKET/PREFIX or s3://BUCKET/PREFIX");
        };
    }

    private static Path folder(String d) {
        try {
            return Path.of(d);
        } catch (InvalidPathException e) {
            throw new JobException("destination '" + d + "' is not a folder name: " + e.getReason(), e);
        }
    }

    /** {@code file:///ABS/PATH} (or {@code file://localhost/ABS/PATH}); {@code file://dir/x} names a host, not a folder. */
    private static Path fileUri(String d) {
        URI uri;
        try {
            uri = new URI(d);
        } catch (URISyntaxException e) {
            throw new JobException("destination '" + d + "' is not a file URI (" + e.getReason()
                    + "): write file:///ABS/PATH with %XX escapes, or a plain folder", e);
        }
        String host = uri.getRawAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new JobException("destination '" + UriParts.parse(d).redacted() + "' names a host, not a folder:"
                    + " a file URI has three slashes and an absolute path (file:///ABS/PATH); or give the folder itself");
        }
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new JobException("destination '" + d + "' is not file:///ABS/PATH: a file URI needs an absolute path");
        }
        return Path.of(uri.getPath());
    }
}
