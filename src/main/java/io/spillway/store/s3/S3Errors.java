package io.spillway.store.s3;

import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Tells transient S3 errors from permanent ones, and turns permanent ones into messages that say what to fix. */
final class S3Errors {
    private static final Set<Integer> TRANSIENT_STATUS = Set.of(408, 429, 500, 502, 503, 504);
    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "RequestTimeout", "InternalError",
            "ServiceUnavailable", "ConditionalRequestConflict", "OperationAborted", "RequestTimeTooSkewed");

    /** Codes of 400 answers that another try may not get: the body was damaged or cut on the way. */
    private static final Set<String> TRANSIENT_BAD_REQUESTS = Set.of("BadDigest", "IncompleteBody",
            "XAmzContentSHA256Mismatch");

    private S3Errors() {}

    static boolean notImplemented(AwsServiceException e) {
        return e.statusCode() == 501 || "NotImplemented".equals(code(e));
    }

    static boolean isTransient(Throwable e) {
        if (e instanceof AwsServiceException s) {
            return TRANSIENT_STATUS.contains(s.statusCode()) || TRANSIENT_CODES.contains(code(s))
                    || TRANSIENT_BAD_REQUESTS.contains(code(s));
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof UncheckedIOException) {
            return true;
        }
        if (e instanceof SdkClientException) {
            if (noCredentials(e)) {
                return false; // the chain may have tried an unreachable metadata endpoint: still not worth retrying
            }
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof IOException) {
                    return true;
                }
            }
            return false;
        }
        return e instanceof IOException;
    }

    private static boolean noCredentials(Throwable e) {
        return e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().contains("Unable to load credentials");
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? "no message"
                : e.awsErrorDetails().errorMessage();
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    /**
     * The exception to throw for {@code e}, raised while doing {@code action}, which needs
     * {@code permission}: a {@link JobException} when retrying the job cannot help.
     */
    static RuntimeException map(Exception e, String bucket, String action, String permission) {
        if (e instanceof JobException j) {
            return j;
        }
        if (e instanceof ExportException x) {
            return x;
        }
        if (e instanceof NoSuchBucketException) {
            return new JobException("bucket " + bucket + " does not exist: create it or fix --dest", e);
        }
        if (e instanceof AwsServiceException s) {
            String code = code(s);
            switch (code) {
                case "InvalidAccessKeyId":
                    return new JobException("bucket " + bucket + ": the access key is not known to the server:"
                            + " check AWS_ACCESS_KEY_ID or the profile", e);
                case "SignatureDoesNotMatch":
                    return new JobException("bucket " + bucket + ": the request signature does not match: check the"
                            + " secret key (AWS_SECRET_ACCESS_KEY)", e);
                case "ExpiredToken", "InvalidToken":
                    return new JobException("bucket " + bucket + ": the session token is expired or invalid", e);
                case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
                    return new JobException("bucket " + bucket + " is in another region: set ?region=REGION in"
                            + " --dest or AWS_REGION", e);
                default:
                    break;
            }
            if (s.statusCode() == 403 || s.statusCode() == 401) {
                return new JobException("no permission to " + action + " in bucket " + bucket + ": the credentials need "
                        + permission + " (" + (code.isEmpty() ? "HTTP " + s.statusCode() : code) + ")", e);
            }
            if (s.statusCode() == 404 && (code.equals("NoSuchBucket") || code.isEmpty() && action.equals("reach"))) {
                return new JobException("bucket " + bucket + " does not exist: create it or fix --dest", e);
            }
            if (notImplemented(s)) {
                return new JobException("the server of bucket " + bucket + " does not implement what it takes to "
                        + action + " (" + (code.isEmpty() ? "HTTP 501" : code) + "): use a server that does, or see"
                        + " docs/stores.md for the options that avoid it", e);
            }
            if (s.statusCode() == 400 && !isTransient(s)) {
                return new JobException("the server of bucket " + bucket + " refused to " + action + " as a bad request ("
                        + (code.isEmpty() ? "HTTP 400" : code) + ": " + message(s) + "): check the options of --dest"
                        + " (endpoint, region, path-style, part-size); a retry gets the same answer", e);
            }
        }
        if (noCredentials(e)) {
            return new JobException("no AWS credentials for bucket " + bucket + ": set AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with a role", e);
        }
        return new ExportException("cannot " + action + " in bucket " + bucket + ": " + e.getMessage(), e);
    }
}
