package io.spillway.store;

import io.spillway.spi.JobException;
import io.spillway.spi.UriParts;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A bucket destination, {@code SCHEME://BUCKET[/PREFIX][?option=value&...]}, split into its parts.
 * The prefix is stored without leading or trailing '/'; an empty prefix is the bucket's root.
 */
public record BucketUri(String scheme, String bucket, String prefix, Map<String, String> options) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]");

    public BucketUri {
        Objects.requireNonNull(scheme, "scheme is null");
        Objects.requireNonNull(bucket, "bucket is null");
        Objects.requireNonNull(prefix, "prefix is null");
        options = Map.copyOf(options);
    }

    /** Parses {@code uri}, refusing options not in {@code known} with a message that lists them. */
    public static BucketUri parse(String uri, Set<String> known) {
        String u = uri.trim();
        int sep = u.indexOf("://");
        if (sep < 0) {
            throw new JobException("destination '" + UriParts.parse(uri).redacted() + "' is not SCHEME://BUCKET/PREFIX");
        }
        String scheme = u.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
        UriParts parts = UriParts.parse(u);
        if (parts.userInfo() != null) {
            throw new JobException("destination " + parts.redacted() + " holds credentials: give them through the"
                    + " environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, GOOGLE_APPLICATION_CREDENTIALS) or the"
                    + " tasks' identity instead");
        }
        String rest = parts.address();
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : parts.options()) {
            if (kv.isEmpty()) {
                continue;
            }
            String[] p = kv.split("=", 2);
            String key = p[0];
            if (!known.contains(key)) {
                throw new JobException("unknown option '" + key + "' in destination " + scheme + "://" + rest
                        + ": use " + String.join(", ", known.stream().sorted().toList()));
            }
            options.put(key, p.length == 2 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "true");
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new JobException("'" + bucket + "' in " + parts.redacted() + " is not a valid bucket name: use 3 to 222 lower-case"
                    + " letters, digits, '-', '_' or '.'");
        }
        for (String segment : prefix.split("/", -1)) {
            if (!prefix.isEmpty() && (segment.isEmpty() || segment.equals(".") || segment.equals(".."))) {
                throw new JobException("the prefix in " + UriParts.parse(uri).redacted() + " has an empty, '.' or '..' segment");
            }
        }
        return new BucketUri(scheme, bucket, prefix, options);
    }

    public String option(String name, String fallback) {
        String v = options.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** The object name of {@code path} under the prefix; refuses a path that would leave it. */
    public String key(String path) {
        checkPath(path);
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    /** The path of an object name under the prefix, the inverse of {@link #key}. */
    public String path(String key) {
        return prefix.isEmpty() ? key : key.substring(prefix.length() + 1);
    }

    /** The object-name prefix that lists {@code pathPrefix} (which may be empty or end in the middle of a name). */
    public String keyPrefix(String pathPrefix) {
        for (String segment : pathPrefix.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && pathPrefix.startsWith("/"))) {
                throw new IllegalArgumentException("prefix '" + pathPrefix + "' leaves the destination " + this);
            }
        }
        return prefix.isEmpty() ? pathPrefix : prefix + "/" + pathPrefix;
    }

    private void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("path '" + path + "' is not an object name under " + this);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("path '" + path + "' leaves the destination " + this);
            }
        }
    }

    /** The destination without options, as shown in messages. */
    @Override
    public String toString() {
        return scheme + "://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
