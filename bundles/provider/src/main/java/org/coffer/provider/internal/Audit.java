package org.coffer.provider.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.coffer.AuditEvent;
import org.osgi.framework.Bundle;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Records every audited call: the last {@value #KEPT} for {@code keyring:audit}, and an
 * EventAdmin event on {@code org/coffer/<ACTION>} for every other listener (the
 * {@link AuditLog} writes them to the OSGi log). Never a secret value.
 * <p>
 * An application may read the same entry thousands of times a second: a successful read
 * repeated by the same bundle within a second of the last one recorded is counted, not
 * recorded, and the next recorded read carries the count ({@code repeats}). Refusals,
 * failures and changes are always recorded one by one.
 */
final class Audit {

    static final int KEPT = 500;

    private final Deque<AuditEvent> recent = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile EventAdmin eventAdmin;
    private volatile java.util.function.Function<Bundle, String> naming =
            bundle -> bundle == null ? "(none)"
                    : bundle.getSymbolicName() == null ? "#" + bundle.getBundleId() : bundle.getSymbolicName();
    private final Map<String, long[]> readWindows = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long WINDOW_NANOS = 1_000_000_000L;

    /** @param naming how a bundle is named in the audit: a bundle with Coffer's name that is not Coffer's says so */
    void name(java.util.function.Function<Bundle, String> naming) {
        this.naming = naming;
    }

    void eventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /**
     * @param bundle the calling bundle
     * @param action READ, WRITE, DELETE, UNLOCK, LOCK, PIN, MIGRATE, REPAIR
     * @param service the entry's service, or the backend for backend operations
     * @param username the entry's username; may be {@code null}
     * @param backend the backend involved; may be {@code null}
     * @param outcome ok, none, denied, would be denied, or a failure's kind
     */
    void record(Bundle bundle, String action, String service, String username, String backend, String outcome) {
        record(bundle, null, action, service, username, backend, outcome);
    }

    /**
     * @param peer who the bundle calls for, as it describes it (a program on a bus), or {@code null}
     */
    void record(Bundle bundle, String peer, String action, String service, String username, String backend,
            String outcome) {
        String name = naming.apply(bundle) + (peer == null ? "" : " for " + peer);
        String target = service == null ? "" : username == null ? service : service + "/" + username;
        long repeats = 0;
        if ("READ".equals(action) && ("ok".equals(outcome) || "none".equals(outcome))) {
            if (readWindows.size() > 10_000) {
                readWindows.clear();
            }
            // {start of the window, reads counted in it}
            long[] window = readWindows.computeIfAbsent(name + " " + target + " " + outcome,
                    k -> new long[] {System.nanoTime() - WINDOW_NANOS, 0});
            synchronized (window) {
                long now = System.nanoTime();
                if (now - window[0] < WINDOW_NANOS) {
                    window[1]++;
                    return;
                }
                repeats = window[1];
                window[0] = now;
                window[1] = 0;
            }
        }
        String shown = repeats > 0 ? outcome + ", after " + repeats + " more like it in the second before" : outcome;
        AuditEvent event = new AuditEvent(sequence.incrementAndGet(), Instant.now(), name, action, target, backend,
                shown);
        synchronized (recent) {
            recent.addLast(event);
            if (recent.size() > KEPT) {
                recent.removeFirst();
            }
        }
        EventAdmin current = eventAdmin;
        if (current != null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("bundle.symbolicName", naming.apply(bundle));
            properties.put("peer", peer == null ? "" : peer);
            properties.put("bundle.id", bundle.getBundleId());
            properties.put("service", service == null ? "" : service);
            properties.put("username", username == null ? "" : username);
            properties.put("backend", backend == null ? "" : backend);
            properties.put("outcome", outcome);
            properties.put("sequence", event.sequence());
            properties.put("repeats", repeats);
            current.postEvent(new Event(AuditEvent.TOPIC_PREFIX + action, properties));
        }
    }

    /** @return the events kept with a sequence above {@code after}, oldest first */
    List<AuditEvent> after(long after) {
        synchronized (recent) {
            List<AuditEvent> events = new ArrayList<>();
            for (AuditEvent event : recent) {
                if (event.sequence() > after) {
                    events.add(event);
                }
            }
            return List.copyOf(events);
        }
    }
}
