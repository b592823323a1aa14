package io.spillway.source;

import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import io.spillway.spi.UriParts;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/** Opens the source named by a URI, through the {@link SourceFactory} of its scheme. */
public final class Sources {
    private static final List<SourceFactory> FACTORIES = ServiceLoader.load(SourceFactory.class).stream()
            .map(ServiceLoader.Provider::get).toList();

    private Sources() {}

    public static Source open(String uri) {
        return open(uri, System.getenv());
    }

    /** Opens {@code uri}; sources read their credentials and endpoints from {@code env}. */
    public static Source open(String uri, Map<String, String> env) {
        String u = uri.trim();
        SourceFactory factory = factory(u).orElseThrow(() -> new JobException("unknown source '"
                + (u.contains("://") || !u.contains("@") ? redact(u) : scheme(u) + ":...") + "': use "
                + FACTORIES.stream().map(SourceFactory::usage).collect(Collectors.joining(", "))));
        return factory.open(u, env);
    }

    /** For a process that ends when its command does: see {@link SourceFactory#processEndsWithCommand()}. */
    public static void processEndsWithCommand() {
        FACTORIES.forEach(SourceFactory::processEndsWithCommand);
    }

    /** The factory whose scheme {@code uri} has ({@code jdbc:} stripped), if any. */
    public static Optional<SourceFactory> factory(String uri) {
        String scheme = scheme(uri.trim());
        return FACTORIES.stream().filter(f -> f.schemes().contains(scheme)).findFirst();
    }

    private static String scheme(String uri) {
        String s = schemeOf(uri);
        return s.equals("jdbc") ? schemeOf(uri.substring(5)) : s;
    }

    private static String schemeOf(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /**
     * The URI as messages, logs and rendered files show it: the password and every option its
     * source names secret (or that looks secret) replaced by '***'.
     */
    public static String redact(String uri) {
        return UriParts.parse(uri).redacted(secretOptions(uri));
    }

    /** Whether the URI holds a password or a secret option. */
    public static boolean hasSecret(String uri) {
        return UriParts.parse(uri).hasSecret(secretOptions(uri));
    }

    private static Set<String> secretOptions(String uri) {
        return factory(uri).map(SourceFactory::secretOptions).orElse(Set.of());
    }
}
