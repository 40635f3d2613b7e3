package org.coffer.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import org.coffer.client.AgentLock;
import org.coffer.client.Places;

/**
 * The agent lock of a long-lived Coffer (the shell, {@code run}), taken before its
 * framework starts, so that a second service for the same state folder stops at once.
 */
final class AgentSeat implements AutoCloseable {

    static final AgentSeat NONE = new AgentSeat(null, null, null);
    /** How long the agent a command started has to stop when {@code run} replaces it. */
    private static final long REPLACE_MILLIS = 30_000;

    private AgentLock lock;
    /** The agent that holds the seat, when another one does. */
    final String takenBy;
    /** Why this Coffer cannot serve commands (its folder is not private), or {@code null}. */
    final String problem;

    private AgentSeat(AgentLock lock, String takenBy, String problem) {
        this.lock = lock;
        this.takenBy = takenBy;
        this.problem = problem;
    }

    /**
     * @param places the user's folders
     * @param onDemand whether this is the agent a command starts ({@code --on-demand run})
     * @param replace whether to take the seat from an agent a command started: {@code run} does
     * @param err where the replacement is told
     * @return the seat, or who holds it
     */
    static AgentSeat take(Places places, boolean onDemand, boolean replace, PrintStream err) {
        try {
            Optional<AgentLock> lock = Agent.lock(places, onDemand);
            Optional<Long> started = lock.isPresent() || !replace ? Optional.empty() : Agent.onDemand(places);
            if (started.isPresent()) {
                lock = replace(places, started.get(), err);
            }
            return lock.isPresent() ? new AgentSeat(lock.get(), null, null) : new AgentSeat(null, Agent.holder(places), null);
        } catch (IOException notPrivate) {
            return new AgentSeat(null, null, notPrivate.getMessage());
        }
    }

    /** Asks the agent a command started to stop (SIGTERM: it closes its socket first), and takes its seat. */
    private static Optional<AgentLock> replace(Places places, long pid, PrintStream err) throws IOException {
        err.println("coffer: the agent a command started (pid " + pid + ") hands over to this one");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + REPLACE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<AgentLock> lock = Agent.lock(places, false);
            if (lock.isPresent()) {
                return lock;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }

    /** @return the lock, or {@code null}; the caller (the agent) closes it from now on */
    AgentLock hand() {
        AgentLock handed = lock;
        lock = null;
        return handed;
    }

    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.close();
        }
    }
}
