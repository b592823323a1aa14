package io.spillway.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The log file of a task attempt that runs in this JVM (the local executor without
 * {@code --isolate}): while a thread has {@link #KEY} in its MDC, its events go to that file, as
 * the output of a task process would, and not to the console ({@link LogFormatFilter}).
 */
public final class TaskLogFiles extends AppenderBase<ILoggingEvent> {
    /** The MDC key whose value is the file a thread's events go to. */
    public static final String KEY = "spillway.tasklog";
    private static final String NAME = "TASK_FILES";

    private final TextEncoder encoder = new TextEncoder();

    private TaskLogFiles() {}

    /** Adds the appender to the root logger once; a no-op when logging is not logback's. */
    public static synchronized void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(NAME) != null) {
            return;
        }
        TaskLogFiles files = new TaskLogFiles();
        files.setContext(context);
        files.setName(NAME);
        files.encoder.setContext(context);
        files.encoder.start();
        files.start();
        root.addAppender(files);
    }

    /** Sends this thread's events to {@code file} until {@link #unroute()}. */
    public static void route(Path file) {
        MDC.put(KEY, file.toString());
    }

    public static void unroute() {
        MDC.remove(KEY);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String file = event.getMDCPropertyMap().get(KEY);
        if (file == null) {
            return;
        }
        try {
            Files.write(Path.of(file), encoder.encode(event), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            addError("cannot write the task log " + file, e);
        }
    }
}
