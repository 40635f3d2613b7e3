package org.coffer.configadmin.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the app.config publisher itself wrote into ConfigAdmin, PID by PID, kept in its
 * own memory. A configuration may have its references resolved as app.config's only
 * when it is, property for property, what the publisher wrote: a marker property, a
 * location binding or anything else in the configuration could have been written by
 * any bundle, so none of them decides.
 */
final class PublishedRecord {

    /** Set by ConfigAdmin on delivery, never by the publisher. */
    private static final Set<String> DELIVERY = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    private final Map<String, Map<String, Object>> written = new ConcurrentHashMap<>();

    /** Recorded before the update is sent, so that its delivery already finds it. */
    void record(String pid, Dictionary<String, Object> properties) {
        written.put(pid, copy(properties));
    }

    void forget(String pid) {
        written.remove(pid);
    }

    /**
     * @param pid the PID of a configuration being delivered
     * @param delivered its properties, references still as tokens
     * @return whether they are exactly what the publisher wrote for that PID
     */
    boolean wrote(String pid, Dictionary<String, Object> delivered) {
        Map<String, Object> mine = pid == null ? null : written.get(pid);
        return mine != null && mine.equals(copy(delivered));
    }

    private static Map<String, Object> copy(Dictionary<String, Object> properties) {
        Map<String, Object> values = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (!DELIVERY.contains(key)) {
                Object value = properties.get(key);
                // arrays compare by content
                values.put(key, value instanceof String[] ? java.util.List.of((String[]) value) : value);
            }
        }
        values.values().removeIf(Objects::isNull);
        return values;
    }
}
