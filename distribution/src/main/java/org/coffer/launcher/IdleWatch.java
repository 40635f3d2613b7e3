package org.coffer.launcher;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The clock of an agent a command started ({@code --on-demand}): after {@code cache}
 * without a command the keyring files are locked (they forget their keys; the next
 * command asks again), after {@code idle} without one the agent stops. A zero duration
 * never comes. A command running, however long, is not idle time.
 */
final class IdleWatch implements Closeable {

    /** How often the clock is read: the granularity of both times. */
    private static final long TICK_MILLIS = 250;

    private final long idleMillis;
    private final long cacheMillis;
    private final Runnable lock;
    private final Runnable stop;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "coffer-agent-idle");
        thread.setDaemon(true);
        return thread;
    });
    private int running;
    private long last = System.nanoTime();
    private boolean locked = true; // it starts locked
    private boolean stopped;

    /**
     * @param idle how long without a command before {@code stop}; zero for never
     * @param cache how long without a command before {@code lock}; zero for never
     * @param lock locks the keyring files
     * @param stop stops the agent
     */
    IdleWatch(Duration idle, Duration cache, Runnable lock, Runnable stop) {
        this.idleMillis = idle.toMillis();
        this.cacheMillis = cache.toMillis();
        this.lock = lock;
        this.stop = stop;
        clock.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void begin() {
        running++;
        locked = false;
        last = System.nanoTime();
    }

    synchronized void end() {
        running--;
        last = System.nanoTime();
    }

    private void tick() {
        Runnable action = null;
        synchronized (this) {
            long quiet = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
            if (running > 0 || stopped) {
                return;
            }
            if (idleMillis > 0 && quiet >= idleMillis) {
                stopped = true;
                action = stop;
            } else if (cacheMillis > 0 && quiet >= cacheMillis && !locked) {
                locked = true;
                action = lock;
            }
        }
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
