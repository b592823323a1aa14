package io.spillway.spi;

/**
 * An export failed in a way that a retry may fix: a lost connection, a full disk, a killed
 * process. The command exits with code 1.
 */
public class ExportException extends RuntimeException {
    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }

    public ExportException(String message) {
        super(message);
    }
}
