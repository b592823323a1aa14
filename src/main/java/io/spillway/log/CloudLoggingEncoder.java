package io.spillway.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * Writes each event as one line of JSON in Cloud Logging's structured format: {@code severity},
 * {@code message}, {@code time}, the MDC (execution, task, attempt, table, unit) as
 * {@code logging.googleapis.com/labels}, and a {@code stack_trace} when there is an exception,
 * which Error Reporting picks up. Other collectors (CloudWatch, Kubernetes log agents) get plain
 * JSON lines. Thread safe: it keeps no state between events.
 */
public final class CloudLoggingEncoder extends EncoderBase<ILoggingEvent> {
    public static final String LABELS = "logging.googleapis.com/labels";

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        return line(severity(event.getLevel()), event.getFormattedMessage(), event.getInstant(), event.getLoggerName(),
                event.getMDCPropertyMap(), thrown == null ? null : ThrowableProxyUtil.asString(thrown));
    }

    /** One record in this format, ending in a newline, for output that does not go through logback. */
    public static byte[] line(String severity, String message, Instant time, String logger, Map<String, String> labels,
            String stackTrace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("severity", severity);
            g.writeStringField("message", message);
            g.writeStringField("time", time.toString());
            g.writeStringField("logger", logger);
            if (labels != null && !labels.isEmpty()) {
                g.writeObjectFieldStart(LABELS);
                for (Map.Entry<String, String> e : labels.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            if (stackTrace != null) {
                g.writeStringField("stack_trace", stackTrace);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    static String severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "ERROR";
            case Level.WARN_INT -> "WARNING";
            case Level.INFO_INT -> "INFO";
            default -> "DEBUG";
        };
    }
}
