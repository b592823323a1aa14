package io.spillway.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.ExportException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
    @Test
    void pausesAreJitteredAndBoundedByTheDoublingCap() {
        Retry retry = new Retry(10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1));
        for (int attempt = 1; attempt <= 10; attempt++) {
            long cap = Math.min(1000, 100L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                assertThat(retry.pause(attempt)).isBetween(Duration.ZERO, Duration.ofMillis(cap));
            }
        }
        assertThat(retry.pause(64)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void stopsAtTheDeadlineEvenWithTriesLeft() {
        Retry retry = new Retry(1000, Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(200));
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        assertThatThrownBy(() -> retry.run("read gs://b/x", e -> true, () -> {
            calls.incrementAndGet();
            throw new IOException("connection reset");
        })).isInstanceOf(ExportException.class).hasMessageContaining("read gs://b/x").hasRootCauseMessage("connection reset");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(calls.get()).isLessThan(1000);
    }

    @Test
    void restoresTheInterruptWhenInterruptedWhileWaiting() {
        Retry retry = new Retry(3, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(1));
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> retry.run("x", e -> true, () -> {
            throw new IOException("reset");
        })).isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(Thread.interrupted()).isTrue();
    }
}
