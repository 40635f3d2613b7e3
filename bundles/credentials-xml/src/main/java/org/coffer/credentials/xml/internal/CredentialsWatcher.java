package org.coffer.credentials.xml.internal;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reloads credentials.xml when it changed on disk, edited by hand or by another process.
 * A file that does not load is reported once; the previous state stays in use.
 */
final class CredentialsWatcher implements AutoCloseable {

    private final CredentialsFile file;
    private final LongSupplier loaded;
    private final Runnable refresh;
    private final Consumer<String> warn;
    private volatile long failedModified = Long.MIN_VALUE;
    private ScheduledExecutorService executor;

    /**
     * @param loaded the modification time of the file as last loaded or saved
     * @param refresh loads the file again
     * @param warn hears why a reload failed; the messages name files and ids, never a value
     */
    CredentialsWatcher(CredentialsFile file, LongSupplier loaded, Runnable refresh, Consumer<String> warn) {
        this.file = file;
        this.loaded = loaded;
        this.refresh = refresh;
        this.warn = warn;
    }

    /** Checks every {@code seconds} on a daemon thread of its own, until closed. */
    void start(int seconds) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "coffer credentials.xml watcher");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::check, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Reloads the file if its time differs from the loaded one and from the one that failed last. */
    void check() {
        long modified;
        try {
            modified = file.modified();
        } catch (IOException e) {
            return;
        }
        if (modified == loaded.getAsLong() || modified == failedModified) {
            return;
        }
        try {
            refresh.run();
            failedModified = Long.MIN_VALUE;
        } catch (RuntimeException e) {
            // any failure, so that the schedule, which an exception would end, goes on
            failedModified = modified;
            warn.accept("Could not reload " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
