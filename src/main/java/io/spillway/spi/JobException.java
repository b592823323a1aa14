package io.spillway.spi;

/**
 * The job is wrong: a bad option, an unknown source, a missing table or permission. Retrying the
 * same job will not help; the command exits with code 2.
 */
public class JobException extends RuntimeException {
    public JobException(String message) {
        super(message);
    }

    public JobException(String message, Throwable cause) {
        super(message, cause);
    }
}
