package org.coffer.provider.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The last failure of each backend during a read, until it answers again: a read that
 * found its value in a lower backend still leaves the failure of a higher one for
 * {@code keyring:diagnose} and the log.
 */
final class ReadFailures {

    private final Map<String, String> last = new ConcurrentHashMap<>();
    private volatile Consumer<String> warn = message -> { };

    /** @param warn where a failure passed over by a successful read is reported */
    void warnTo(Consumer<String> warn) {
        this.warn = warn;
    }

    void failed(String backend, String message) {
        last.put(backend, Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
    }

    void answered(String backend) {
        last.remove(backend);
    }

    /** A read found its value below backends that failed. */
    void passedOver(Iterable<String> failures) {
        for (String failure : failures) {
            warn.accept("A read was answered by a lower keyring backend because " + failure);
        }
    }

    /** @return backend name to its last failure, with its time */
    Map<String, String> snapshot() {
        return new TreeMap<>(last);
    }
}
