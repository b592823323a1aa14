package io.spillway.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Spillway's logging, set up in code (parsing a logback.xml took a third of a second of every
 * task's start): text on stderr for a person, or JSON lines on stdout under an engine, as
 * {@link LogFormat} decides; the level from {@code SPILLWAY_LOG_LEVEL} (default INFO). A file
 * named by {@code -Dlogback.configurationFile} still takes over.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        TextEncoder text = new TextEncoder();
        text.setContext(context);
        text.start();
        CloudLoggingEncoder json = new CloudLoggingEncoder();
        json.setContext(context);
        json.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("SPILLWAY_LOG_LEVEL"), Level.INFO));
        root.addAppender(appender(context, "TEXT", "System.err", text, LogFormat.TEXT));
        root.addAppender(appender(context, "JSON", "System.out", json, LogFormat.JSON));
        context.getLogger("org.duckdb").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static ConsoleAppender<ILoggingEvent> appender(LoggerContext context, String name, String target,
            Encoder<ILoggingEvent> encoder, LogFormat format) {
        LogFormatFilter filter = new LogFormatFilter();
        filter.setFormat(format.name());
        filter.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget(target);
        appender.setEncoder(encoder);
        appender.addFilter(filter);
        appender.start();
        return appender;
    }
}
