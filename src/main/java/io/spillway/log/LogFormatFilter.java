package io.spillway.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Locale;

/**
 * Lets an event through only while the process writes logs in this filter's format, so that the
 * text and the JSON appender ({@link LogConfigurator}) can sit side by side.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {
    private LogFormat format = LogFormat.TEXT;

    /** {@code text} or {@code json}; also settable from a logback file as {@code <format>text|json</format>}. */
    public void setFormat(String format) {
        this.format = LogFormat.valueOf(format.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (event.getMDCPropertyMap().containsKey(TaskLogFiles.KEY)) {
            return FilterReply.DENY; // a task attempt in this JVM: its own log file has it
        }
        return LogFormat.current() == format ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
