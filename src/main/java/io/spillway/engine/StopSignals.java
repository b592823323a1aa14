package io.spillway.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals an engine sends a task, while an attempt runs.
 *
 * <p>SIGTERM (Cloud Run, Kubernetes and AWS Batch stopping a task: timeout, cancel, eviction) and
 * SIGINT (Ctrl-C) go to the listener, which records why the task stopped; then the JVM's own
 * handler is put back and the signal raised again, so the process ends as it would have (exit
 * code 128 + the signal's number), only after the record is written.
 *
 * <p>SIGTSTP, which Cloud Run sends 10 s before it live-migrates a task, and SIGCONT after it,
 * only reach the listener: a migration keeps the task's state, so stopping would throw work away.
 *
 * <p>{@link #close()} puts the previous handlers back; it is idempotent.
 */
final class StopSignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> STOPPING = List.of("TERM", "INT");
    private static final List<String> NOTICES = List.of("TSTP", "CONT");

    private record Installed(Signal signal, SignalHandler previous) {}

    private final List<Installed> installed = new ArrayList<>();

    private StopSignals() {}

    /** Handles nothing: for attempts that share a JVM. */
    static StopSignals none() {
        return new StopSignals();
    }

    /** Sends "SIGTERM", "SIGINT", "SIGTSTP" or "SIGCONT" to {@code listener}, on a thread of the JVM's. */
    static StopSignals install(Consumer<String> listener) {
        StopSignals signals = new StopSignals();
        for (String name : STOPPING) {
            signals.handle(name, true, signal -> {
                try {
                    listener.accept("SIG" + name);
                } finally {
                    signals.close();
                    Signal.raise(signal);
                }
            });
        }
        for (String name : NOTICES) {
            signals.handle(name, false, signal -> listener.accept("SIG" + name));
        }
        return signals;
    }

    /** {@code keepIgnored}: a stop signal that the process was started to ignore (nohup) stays ignored. */
    private void handle(String name, boolean keepIgnored, SignalHandler handler) {
        try {
            Signal signal = new Signal(name);
            SignalHandler previous = Signal.handle(signal, handler);
            if (keepIgnored && previous == SignalHandler.SIG_IGN) {
                Signal.handle(signal, previous);
                return;
            }
            synchronized (installed) {
                installed.add(new Installed(signal, previous));
            }
        } catch (IllegalArgumentException e) {
            // not on this platform, or reserved (java -Xrs): the JVM's default stays
            log.debug("SIG{} is not handled here: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (installed) {
            for (Installed i : installed) {
                Signal.handle(i.signal(), i.previous());
            }
            installed.clear();
        }
    }
}
