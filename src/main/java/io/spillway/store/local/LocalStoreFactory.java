package io.spillway.store.local;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.StoreFactory;
import io.spillway.spi.UriParts;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** A folder: a plain folder name, or {@code file:///ABS/PATH}. */
public final class LocalStoreFactory implements StoreFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("", "file");
    }

    @Override
    public String usage() {
        return "a folder, file:///ABS/PATH";
    }

    @Override
    public Store open(String dest, Map<String, String> env) {
        return new LocalStore(dest.regionMatches(true, 0, "file:", 0, 5) ? fileUri(dest) : folder(dest));
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
