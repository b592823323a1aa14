package io.spillway.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * Writes each event as a line for a person: {@code 08:30:00.512 INFO  [task 3 attempt 1] message},
 * the time in the machine's zone, then the stack trace of an exception, if any. Logback's pattern
 * layout would write the same, but building it (dozens of converters, a pattern parser) took a
 * tenth of each task's start-up.
 */
public final class TextEncoder extends EncoderBase<ILoggingEvent> {
    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        LocalTime t = LocalTime.ofInstant(event.getInstant(), zone);
        Map<String, String> mdc = event.getMDCPropertyMap();
        StringBuilder line = new StringBuilder(128);
        two(line, t.getHour()).append(':');
        two(line, t.getMinute()).append(':');
        two(line, t.getSecond()).append('.');
        int millis = t.getNano() / 1_000_000;
        line.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
        String level = event.getLevel().toString();
        line.append(' ').append(level).append(" ".repeat(Math.max(0, 5 - level.length())));
        line.append(" [task ").append(mdc.getOrDefault("task", "-")).append(" attempt ")
                .append(mdc.getOrDefault("attempt", "-")).append("] ").append(event.getFormattedMessage())
                .append(System.lineSeparator());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)); // ends with its own line end
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder two(StringBuilder line, int v) {
        return line.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
