package org.coffer.webconsole.internal;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;

/**
 * The one migration the page runs at a time, on a thread of its own so that the browser
 * can watch its progress; every copy is verified by {@link KeyringAdmin#migrate}.
 */
final class Migration implements AutoCloseable {

    /** What the page shows of the last migration. */
    static final class State {
        final String from;
        final String to;
        final boolean running;
        final int done;
        final int total;
        final String result;
        final boolean failed;

        State(String from, String to, boolean running, int done, int total, String result, boolean failed) {
            this.from = from;
            this.to = to;
            this.running = running;
            this.done = done;
            this.total = total;
            this.result = result;
            this.failed = failed;
        }

        String json() {
            return "{\"from\":\"" + Json.escape(from) + "\",\"to\":\"" + Json.escape(to) + "\",\"running\":" + running
                    + ",\"done\":" + done + ",\"total\":" + total + ",\"failed\":" + failed + ",\"result\":\""
                    + Json.escape(result) + "\"}";
        }
    }

    private final KeyringAdmin admin;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "coffer-webconsole-migration");
        t.setDaemon(true);
        return t;
    });
    private volatile State state;

    Migration(KeyringAdmin admin) {
        this.admin = admin;
    }

    /** @return the last migration, or {@code null} when none ran since the page started */
    State state() {
        return state;
    }

    /**
     * Starts a migration unless one runs.
     *
     * @return why it did not start, or {@code null}
     */
    synchronized String start(String from, String to, boolean deleteSource) {
        State current = state;
        if (current != null && current.running) {
            return "A migration from " + current.from + " to " + current.to + " is still running";
        }
        state = new State(from, to, true, 0, 0, "started", false);
        thread.execute(() -> run(from, to, deleteSource));
        return null;
    }

    private void run(String from, String to, boolean deleteSource) {
        try {
            List<KeyringEntry> moved = admin.migrate(from, to, deleteSource,
                    (done, total) -> state = new State(from, to, true, done, total, "copying", false));
            state = new State(from, to, false, moved.size(), moved.size(), "Verified: " + moved.size()
                    + " entries copied from " + from + " to " + to + " read back equal"
                    + (deleteSource ? "; the originals were deleted" : "; the originals are kept"), false);
        } catch (RuntimeException e) {
            State last = state;
            // the provider's messages name backends and entries, never a value
            state = new State(from, to, false, last.done, last.total, "Failed: " + (e.getMessage() != null
                    ? e.getMessage() : e.getClass().getSimpleName()), true);
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
