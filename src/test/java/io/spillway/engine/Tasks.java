package io.spillway.engine;

import io.spillway.config.JobConfig;
import io.spillway.publish.Journal;
import io.spillway.source.Sources;
import io.spillway.spi.Source;
import io.spillway.spi.Store;
import io.spillway.store.Stores;
import java.time.Clock;

/** Runs one task in this JVM, wired as {@code spillway task} wires it. */
public final class Tasks {
    private Tasks() {}

    public static TaskStatus run(JobConfig config, TaskContext context) throws Exception {
        try (Source source = Sources.open(config.source()); Store store = Stores.open(config.dest())) {
            return new TaskRunner(config, context, Clock.systemUTC(), Journal.defaultLease()).run(source, store);
        }
    }
}
