package io.spillway.engine;

import io.spillway.spi.JobException;

/** The process exit codes, mapped from exceptions in one place. */
public enum ExitCode {
    /** Everything was exported. */
    OK(0),
    /** The export failed, and a retry may help; or verify found a mismatch. */
    FAILED(1),
    /** The job is wrong (bad option, unknown source, no such table, no permission); a retry will not help. */
    BAD_JOB(2);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public static ExitCode of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JobException) {
                return BAD_JOB;
            }
        }
        return FAILED;
    }
}
