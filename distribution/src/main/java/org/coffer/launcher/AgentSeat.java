package org.coffer.launcher;

import java.io.IOException;
import java.util.Optional;
import org.coffer.client.AgentLock;
import org.coffer.client.Places;

/**
 * The agent lock of a long-lived Coffer (the shell, {@code run}), taken before its
 * framework starts, so that a second service for the same state folder stops at once.
 */
final class AgentSeat implements AutoCloseable {

    static final AgentSeat NONE = new AgentSeat(null, null, null);

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

    static AgentSeat take(Places places) {
        try {
            Optional<AgentLock> lock = Agent.lock(places);
            return lock.isPresent() ? new AgentSeat(lock.get(), null, null) : new AgentSeat(null, Agent.holder(places), null);
        } catch (IOException notPrivate) {
            return new AgentSeat(null, null, notPrivate.getMessage());
        }
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
