package io.spillway.source.bigquery;

import io.spillway.retry.Retry;
import io.spillway.spi.JobException;
import io.spillway.spi.UriParts;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach a BigQuery dataset and extract it, from
 * {@code bigquery://PROJECT/DATASET[?option=value&...]} and the environment; an option in the URI wins:
 *
 * <table>
 * <tr><th>option<th>environment<th>default
 * <tr><td>location<td><td>the dataset's location (jobs run there)
 * <tr><td>job-project<td><td>PROJECT: the project that runs (and pays for) the extract jobs
 * <tr><td>header<td><td>true: CSV files start with the column names
 * <tr><td>delimiter<td><td>{@code ,} for CSV; one character, or {@code tab}
 * <tr><td>endpoint<td>SPILLWAY_BIGQUERY_ENDPOINT<td>BigQuery; when set, no credentials are sent (tests)
 * </table>
 *
 * Credentials are Application Default Credentials, as for the GCS store. {@code retry} bounds the
 * client's retries and the re-submission of jobs that failed with a transient error; {@code poll}
 * is the first pause between looks at a running job, doubling up to {@code maxPoll}.
 */
record BigQuerySettings(String project, String dataset, Optional<String> location, String jobProject,
        boolean header, String delimiter, Optional<URI> endpoint, Retry retry, Duration poll, Duration maxPoll) {
    static final Set<String> OPTIONS = Set.of("location", "job-project", "header", "delimiter", "endpoint");
    // project ids may be domain-scoped ("example.com:project"); dataset ids are letters, digits and '_'
    private static final Pattern PROJECT = Pattern.compile("([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,61}[a-z0-9]");
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");

    static BigQuerySettings from(String uri, Map<String, String> env) {
        String u = uri.trim();
        String rest = u.replaceFirst("(?i)^bigquery://", "");
        Map<String, String> options = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                String[] p = kv.split("=", 2);
                if (!OPTIONS.contains(p[0])) {
                    throw new JobException("unknown option '" + p[0] + "' in source " + UriParts.parse(rest.substring(0, q)).redacted()
                            + ": use " + String.join(", ", OPTIONS.stream().sorted().toList()));
                }
                options.put(p[0], p.length == 2 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
            rest = rest.substring(0, q);
        }
        String[] parts = rest.split("/", -1);
        List<String> problems = new ArrayList<>();
        if (parts.length != 2 || !PROJECT.matcher(parts[0]).matches() || !DATASET.matcher(parts[1]).matches()) {
            throw new JobException("source '" + UriParts.parse(u).redacted() + "' is not bigquery://PROJECT/DATASET: a project id (6 to 30"
                    + " lower-case letters, digits and '-') and a dataset id (letters, digits and '_')");
        }
        Optional<String> location = Optional.ofNullable(options.get("location")).filter(l -> !l.isBlank());
        String jobProject = options.getOrDefault("job-project", parts[0]);
        if (!PROJECT.matcher(jobProject).matches()) {
            problems.add("job-project '" + jobProject + "' is not a project id");
        }
        String header = options.getOrDefault("header", "true");
        if (!header.equals("true") && !header.equals("false")) {
            problems.add("header must be true or false, not '" + header + "'");
        }
        String delimiter = options.getOrDefault("delimiter", ",");
        if (delimiter.equalsIgnoreCase("tab")) {
            delimiter = "\t";
        }
        if (delimiter.codePointCount(0, delimiter.length()) != 1) {
            problems.add("delimiter must be one character (or 'tab'), not '" + delimiter + "'");
        }
        Optional<URI> endpoint = Optional.ofNullable(options.getOrDefault("endpoint", env.get("SPILLWAY_BIGQUERY_ENDPOINT")))
                .filter(e -> !e.isBlank()).map(URI::create);
        if (endpoint.isPresent() && (endpoint.get().getScheme() == null || endpoint.get().getHost() == null)) {
            problems.add("endpoint '" + endpoint.get() + "' is not a URL like http://HOST:PORT");
        }
        if (!problems.isEmpty()) {
            throw new JobException("source bigquery://" + rest + ": " + String.join("; ", problems));
        }
        return new BigQuerySettings(parts[0], parts[1], location, jobProject, header.equals("true"), delimiter,
                endpoint, Retry.DEFAULT, Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    BigQuerySettings withTiming(Retry r, Duration firstPoll, Duration longestPoll) {
        return new BigQuerySettings(project, dataset, location, jobProject, header, delimiter, endpoint, r, firstPoll,
                longestPoll);
    }

    /** {@code PROJECT:DATASET}, as BigQuery names a dataset in its messages. */
    String datasetName() {
        return project + ":" + dataset;
    }

    /** The source as the user named it, without the test endpoint. */
    @Override
    public String toString() {
        return "bigquery://" + project + "/" + dataset + location.map(l -> "?location=" + l).orElse("");
    }
}
