package io.spillway.source.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import java.util.Locale;
import java.util.Set;

/**
 * Turns BigQuery's errors, from API calls and from failed jobs, into messages that say what to
 * fix: a {@link JobException} when retrying the same job cannot help (no dataset, no permission,
 * wrong location, a schema the format cannot hold), an {@link ExportException} otherwise.
 */
final class BigQueryErrors {
    /** Reasons a later try may not meet: https://cloud.google.com/bigquery/docs/error-messages */
    private static final Set<String> TRANSIENT = Set.of("rateLimitExceeded", "quotaExceeded", "backendError",
            "internalError", "jobRateLimitExceeded", "jobBackendError", "jobInternalError", "timeout");

    static final String DATA_VIEWER = "BigQuery Data Viewer (roles/bigquery.dataViewer) on the dataset";
    static final String JOB_USER = "BigQuery Job User (roles/bigquery.jobUser) on the project";
    static final String OBJECT_USER = "Storage Object User (roles/storage.objectUser) or Storage Object Admin on the bucket";

    private BigQueryErrors() {}

    /** Whether an API call failed in a way that trying again later may fix. */
    static boolean isTransient(Throwable e) {
        if (!(e instanceof BigQueryException b)) {
            return false;
        }
        return b.isRetryable() || b.getCode() == 429 || isTransient(b.getError());
    }

    /** Whether a failed job failed in a way that a new job may not. */
    static boolean isTransient(BigQueryError error) {
        return error != null && error.getReason() != null && TRANSIENT.contains(error.getReason());
    }

    /**
     * An API call's error as a message: {@code what} says what was being done ("list dataset P:D"),
     * {@code role} the role whose absence a 403 means.
     */
    static RuntimeException map(BigQueryException e, String what, String role) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (isTransient(e)) {
            return new ExportException("cannot " + what + ": " + message + " (a retry may help)", e);
        }
        return switch (e.getCode()) {
            case 401 -> new JobException("the Google credentials were refused when trying to " + what + ": run 'gcloud"
                    + " auth application-default login' or check GOOGLE_APPLICATION_CREDENTIALS", e);
            case 403 -> new JobException("no permission to " + what + ": the credentials need " + role(message, role)
                    + " (" + message + ")", e);
            case 404 -> new JobException(notFound(what, message), e);
            case 400 -> new JobException("cannot " + what + ": " + advice(message), e);
            default -> new ExportException("cannot " + what + ": " + message, e);
        };
    }

    /** The error of a job that ended in failure. */
    static RuntimeException failed(BigQueryError error, String what) {
        String reason = error.getReason() == null ? "" : error.getReason();
        String message = error.getMessage() == null ? reason : error.getMessage();
        if (isTransient(error)) {
            return new ExportException(what + " failed: " + message + " (" + reason + "; a retry may help)");
        }
        return switch (reason) {
            case "accessDenied" -> new JobException(what + " was denied: the credentials need "
                    + role(message, DATA_VIEWER) + " (" + message + ")");
            case "notFound" -> new JobException(notFound(what, message));
            case "invalid", "invalidQuery" -> new JobException(what + " failed: " + advice(message));
            default -> new ExportException(what + " failed: " + message + " (" + reason + ")");
        };
    }

    /** Which role a denial is about: the message names the permission or the service that refused. */
    private static String role(String message, String fallback) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("storage") || m.contains("gs://") || m.contains("writing data")) {
            return OBJECT_USER;
        }
        if (m.contains("jobs.create")) {
            return JOB_USER;
        }
        if (m.contains("tables.export") || m.contains("tables.get") || m.contains("tables.list")
                || m.contains("datasets.get")) {
            return DATA_VIEWER;
        }
        return fallback;
    }

    private static String notFound(String what, String message) {
        if (message.toLowerCase(Locale.ROOT).contains("location")) {
            return "cannot " + what + ": " + message + ". The dataset is in another location than the job: fix"
                    + " ?location= in the source URI, or drop it to use the dataset's own";
        }
        return "cannot " + what + ": " + message + ". Check the project, dataset and table names, and that the"
                + " credentials can see them (" + DATA_VIEWER + ")";
    }

    private static String advice(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("nested schema") || m.contains("repeated") && m.contains("csv")) {
            return message + ". CSV cannot hold nested or repeated columns: use --format jsonl, parquet or avro";
        }
        if (m.contains("snapshot time") || m.contains("time travel")) {
            return message + ". The execution's plan time is outside the table's time-travel window (or before the"
                    + " table existed): start a new execution, or use --no-snapshot";
        }
        return message;
    }
}
