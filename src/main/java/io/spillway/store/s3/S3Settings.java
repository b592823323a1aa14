package io.spillway.store.s3;

import io.spillway.config.Sizes;
import io.spillway.retry.Retry;
import io.spillway.spi.JobException;
import io.spillway.spi.UriParts;
import io.spillway.store.BucketUri;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach an S3 bucket, from {@code s3://BUCKET[/PREFIX][?option=value&...]} and the usual
 * environment. An option in the URI wins over the environment:
 *
 * <table>
 * <tr><th>option<th>environment<th>default
 * <tr><td>endpoint<td>AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL<td>Amazon S3
 * <tr><td>region<td>AWS_REGION, AWS_DEFAULT_REGION<td>us-east-1, following redirects to the bucket's region
 * <tr><td>path-style<td>SPILLWAY_S3_PATH_STYLE<td>true with an endpoint, else false
 * <tr><td>part-size<td>SPILLWAY_S3_PART_SIZE<td>16MiB (5MiB to 5GiB)
 * <tr><td>conditional-writes<td>SPILLWAY_S3_CONDITIONAL_WRITES<td>true: create-if-absent by {@code If-None-Match: *}
 * </table>
 *
 * Credentials are never options: they come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 * (+ AWS_SESSION_TOKEN), else the SDK's default chain (system properties, profile, container or
 * instance role).
 */
record S3Settings(BucketUri uri, Optional<URI> endpoint, Optional<String> region, boolean pathStyle, int partSize,
        boolean conditionalWrites, Retry retry) {
    static final Set<String> OPTIONS = Set.of("endpoint", "region", "path-style", "part-size", "conditional-writes");
    static final int MIN_PART = 5 << 20;
    static final long MAX_PART = 5L << 30;

    static S3Settings from(String dest, Map<String, String> env) {
        BucketUri uri = BucketUri.parse(dest, OPTIONS);
        Optional<URI> endpoint = first(uri.options().get("endpoint"), env.get("AWS_ENDPOINT_URL_S3"),
                env.get("AWS_ENDPOINT_URL")).map(e -> endpoint(e, uri));
        Optional<String> region = first(uri.options().get("region"), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        boolean pathStyle = bool("path-style", first(uri.options().get("path-style"), env.get("SPILLWAY_S3_PATH_STYLE")),
                endpoint.isPresent(), uri);
        long part = first(uri.options().get("part-size"), env.get("SPILLWAY_S3_PART_SIZE")).map(Sizes::parse)
                .orElse(16L << 20);
        if (part < MIN_PART || part > Math.min(MAX_PART, Integer.MAX_VALUE - 8)) {
            throw new JobException("part-size " + Sizes.format(part) + " for " + uri
                    + " is out of range: S3 parts are 5MiB to 5GiB (and at most 2GiB here)");
        }
        boolean conditional = bool("conditional-writes", first(uri.options().get("conditional-writes"),
                env.get("SPILLWAY_S3_CONDITIONAL_WRITES")), true, uri);
        return new S3Settings(uri, endpoint, region, pathStyle, (int) part, conditional, Retry.DEFAULT);
    }

    S3Settings withRetry(Retry r) {
        return new S3Settings(uri, endpoint, region, pathStyle, partSize, conditionalWrites, r);
    }

    S3Settings withPartSize(int size) {
        return new S3Settings(uri, endpoint, region, pathStyle, size, conditionalWrites, retry);
    }

    private static URI endpoint(String value, BucketUri uri) {
        try {
            URI e = URI.create(value.trim());
            if (e.getScheme() == null || e.getHost() == null
                    || !Set.of("http", "https").contains(e.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("not http(s)://HOST[:PORT]");
            }
            return e;
        } catch (IllegalArgumentException e) {
            throw new JobException("endpoint '" + UriParts.parse(value).redacted() + "' for " + uri + " is not a URL like http://HOST:PORT", e);
        }
    }

    private static boolean bool(String name, Optional<String> value, boolean fallback, BucketUri uri) {
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new JobException(name + "=" + value.get() + " for " + uri + " is not true or false");
        };
    }

    private static Optional<String> first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return Optional.of(v.trim());
            }
        }
        return Optional.empty();
    }
}
