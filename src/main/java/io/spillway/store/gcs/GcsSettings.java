package io.spillway.store.gcs;

import io.spillway.config.Sizes;
import io.spillway.retry.Retry;
import io.spillway.spi.JobException;
import io.spillway.spi.UriParts;
import io.spillway.store.BucketUri;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach a GCS bucket, from {@code gs://BUCKET[/PREFIX][?option=value&...]} and the
 * environment; an option in the URI wins:
 *
 * <table>
 * <tr><th>option<th>environment<th>default
 * <tr><td>endpoint<td>SPILLWAY_GCS_ENDPOINT, then STORAGE_EMULATOR_HOST (URL or HOST:PORT, as Google's
 *     libraries read it)<td>Google Cloud Storage; when set, no credentials are sent (emulators, tests)
 * <tr><td>project<td>GOOGLE_CLOUD_PROJECT<td>the project of the credentials (only billing of requester-pays buckets needs it)
 * <tr><td>chunk-size<td>SPILLWAY_GCS_CHUNK_SIZE<td>16MiB: the bytes buffered per resumable-upload request
 * </table>
 *
 * Credentials are Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's
 * login, or the metadata server of Cloud Run, GKE and GCE).
 */
record GcsSettings(BucketUri uri, Optional<URI> endpoint, Optional<String> project, int chunkSize, Retry retry) {
    static final Set<String> OPTIONS = Set.of("endpoint", "project", "chunk-size");
    /** Where Google's client libraries, and the GCS emulators that follow them, look for an emulator. */
    static final String EMULATOR_HOST = "STORAGE_EMULATOR_HOST";
    private static final int CHUNK_UNIT = 256 << 10;

    static GcsSettings from(String dest, Map<String, String> env) {
        BucketUri uri = BucketUri.parse(dest, OPTIONS);
        Optional<URI> endpoint = first(uri.options().get("endpoint"), env.get("SPILLWAY_GCS_ENDPOINT"),
                env.get(EMULATOR_HOST)).map(e -> {
            // STORAGE_EMULATOR_HOST is often HOST:PORT alone, which Google's libraries read as http
            URI u = URI.create(e.contains("://") ? e : "http://" + e);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new JobException("endpoint '" + UriParts.parse(e).redacted() + "' for " + uri + " is not a URL like http://HOST:PORT");
            }
            return u;
        });
        Optional<String> project = first(uri.options().get("project"), env.get("GOOGLE_CLOUD_PROJECT"));
        long chunk = first(uri.options().get("chunk-size"), env.get("SPILLWAY_GCS_CHUNK_SIZE")).map(Sizes::parse)
                .orElse(16L << 20);
        if (chunk < CHUNK_UNIT || chunk > (1L << 30) || chunk % CHUNK_UNIT != 0) {
            throw new JobException("chunk-size " + Sizes.format(chunk) + " for " + uri
                    + " must be a multiple of 256KiB between 256KiB and 1GiB");
        }
        return new GcsSettings(uri, endpoint, project, (int) chunk, Retry.DEFAULT);
    }

    GcsSettings withRetry(Retry r) {
        return new GcsSettings(uri, endpoint, project, chunkSize, r);
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
