package io.spillway.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TextEncoderTest {
    /** What the text logs looked like when logback's pattern layout wrote them; they must not change. */
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [task %X{task:--} attempt %X{attempt:--}] %msg%n";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger logger = context.getLogger("io.spillway.engine.TaskRunner");

    @Test
    void writesWhatLogbacksPatternLayoutWrote() {
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern(PATTERN);
        pattern.start();
        TextEncoder text = new TextEncoder();
        text.setContext(context);
        text.start();

        LoggingEvent withLabels = event(Level.INFO, Map.of("execution", "x", "task", "3", "attempt", "1", "table", "orders"),
                "Exported {}: {} rows", null, "orders", 42);
        LoggingEvent multiLine = event(Level.WARN, Map.of(), "two\nlines, é and \uD83D\uDE00", null);
        multiLine.setTimeStamp(1_700_000_000_007L);
        LoggingEvent failed = event(Level.ERROR, Map.of("task", "12"), "table orders: {}",
                new IOException("connection reset", new IllegalStateException("cause")), "boom");
        for (LoggingEvent e : new LoggingEvent[] {withLabels, multiLine, failed, event(Level.DEBUG, Map.of(), "no labels", null)}) {
            assertThat(new String(text.encode(e), StandardCharsets.UTF_8))
                    .isEqualTo(new String(pattern.encode(e), StandardCharsets.UTF_8));
        }
        assertThat(new String(text.encode(withLabels), StandardCharsets.UTF_8))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[task 3 attempt 1\\] Exported orders: 42 rows\\R");
        assertThat(new String(text.encode(failed), StandardCharsets.UTF_8))
                .contains("ERROR [task 12 attempt -] table orders: boom", "java.io.IOException: connection reset",
                        "Caused by: java.lang.IllegalStateException: cause", "\tat ");
    }

    private LoggingEvent event(Level level, Map<String, String> labels, String message, Throwable thrown, Object... args) {
        LoggingEvent e = new LoggingEvent("fqcn", logger, level, message, thrown, args);
        e.setMDCPropertyMap(labels);
        return e;
    }
}
