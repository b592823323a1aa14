package io.spillway.store.gcs;

import com.google.cloud.storage.StorageException;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import java.util.Locale;

/** Turns the client's errors, after its own retries, into messages that say what to fix. */
final class GcsErrors {
    private GcsErrors() {}

    static RuntimeException map(StorageException e, String bucket, String action, String permission) {
        int code = e.getCode();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (code == 412) {
            return new GcsStore.PreconditionFailed("precondition failed in bucket " + bucket, e);
        }
        if (code == 404) {
            // "No such object: B/NAME" for an object; "The specified bucket does not exist." for the bucket
            if (message.toLowerCase(Locale.ROOT).contains("bucket does not exist") || action.equals("reach")) {
                return new JobException("bucket " + bucket + " does not exist: create it or fix --dest", e);
            }
            return new GcsStore.NotFound("no such object in bucket " + bucket, e);
        }
        if (code == 401) {
            return new JobException("the Google credentials were refused for bucket " + bucket + ": run 'gcloud auth"
                    + " application-default login' or check GOOGLE_APPLICATION_CREDENTIALS", e);
        }
        if (code == 403) {
            return new JobException("no permission to " + action + " in bucket " + bucket + ": the credentials need "
                    + permission + " (e.g. roles/storage.objectAdmin on the bucket)", e);
        }
        if (code == 400 && message.contains("billing")) {
            return new JobException("bucket " + bucket + " is requester-pays: add ?project=PROJECT to --dest", e);
        }
        return new ExportException("cannot " + action + " in bucket " + bucket + ": " + message, e);
    }
}
