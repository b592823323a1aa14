package io.spillway.retry;

import io.spillway.spi.ExportException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a call to a bucket on transient errors (429, 5xx, connection resets, timeouts) with
 * exponential backoff and full jitter, bounded both in attempts and in total time. Anything
 * else is thrown at once. Thread safe.
 *
 * @param attempts   tries in all, at least 1
 * @param firstDelay the upper bound of the first pause; each later bound doubles
 * @param maxDelay   the largest bound of a pause
 * @param deadline   no new try starts once this much time has passed since the first
 */
public record Retry(int attempts, Duration firstDelay, Duration maxDelay, Duration deadline) {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);

    /** 8 tries within 2 minutes, pauses up to 0.25 s, 0.5 s, 1 s ... 16 s. */
    public static final Retry DEFAULT = new Retry(8, Duration.ofMillis(250), Duration.ofSeconds(16),
            Duration.ofMinutes(2));

    public Retry {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        Objects.requireNonNull(firstDelay, "firstDelay is null");
        Objects.requireNonNull(maxDelay, "maxDelay is null");
        Objects.requireNonNull(deadline, "deadline is null");
    }

    /** One call to a bucket. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /**
     * Runs {@code call} until it succeeds, fails with an error that {@code transientError} rejects,
     * or the tries or the time run out. Transient errors that exhaust the retries become an
     * {@link ExportException} naming {@code what}; other errors pass through unchanged.
     */
    public <T> T run(String what, Predicate<Throwable> transientError, Call<T> call) throws IOException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException | RuntimeException e) {
                if (!transientError.test(e)) {
                    throw e;
                }
                long elapsed = System.nanoTime() - start;
                Duration pause = pause(attempt);
                if (attempt >= attempts || elapsed + pause.toNanos() > deadline.toNanos()) {
                    throw new ExportException(what + " failed " + attempt + " times in "
                            + Duration.ofNanos(elapsed).toMillis() + " ms, last with: " + describe(e), e);
                }
                log.debug("{} failed ({}); try {} of {} in {} ms", what, describe(e), attempt + 1, attempts,
                        pause.toMillis());
                sleep(pause);
            } catch (Exception e) {
                throw new IOException(what + " failed: " + describe(e), e);
            }
        }
    }

    /** A random pause between 0 and min(maxDelay, firstDelay * 2^(attempt-1)): "full jitter". */
    Duration pause(int attempt) {
        long bound = firstDelay.toNanos() << Math.min(attempt - 1, 30);
        if (bound <= 0 || bound > maxDelay.toNanos()) {
            bound = maxDelay.toNanos();
        }
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(bound + 1));
    }

    private static void sleep(Duration pause) throws InterruptedIOException {
        try {
            Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
