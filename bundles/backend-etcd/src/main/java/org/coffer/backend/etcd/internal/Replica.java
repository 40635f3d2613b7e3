package org.coffer.backend.etcd.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.spi.support.MemorySeal;
import org.coffer.spi.support.SealedSecret;

/**
 * This process's copy of the prefix: every entry opened once and sealed in memory, the
 * data keys unwrapped, at the revision the load or the watch reached. Readers take the
 * current {@link State} without a lock; the watch and this process's own writes change
 * it one at a time, each change kept only if it is newer than what the copy holds for
 * that key (a delete leaves a tombstone until the watch has passed its revision).
 *
 * <p>A value that cannot be trusted (it fails authentication, is sealed with a data key
 * that does not open, or carries a counter below the entry's {@link HighWaterMarks
 * high-water mark}) is kept out of the entries and remembered as damaged, so that a read
 * of its entry fails instead of finding nothing. A data key that does not open is kept
 * apart, and fails only the values it seals; deleting it heals the copy.
 */
final class Replica {

    /** One entry of the copy. */
    static final class Entry {
        final String etcdKey;
        final long modRevision;
        final KeyringEntry name;
        final long counter;
        final SealedSecret sealed;

        Entry(String etcdKey, long modRevision, KeyringEntry name, long counter, SealedSecret sealed) {
            this.etcdKey = etcdKey;
            this.modRevision = modRevision;
            this.name = name;
            this.counter = counter;
            this.sealed = sealed;
        }
    }

    /** An immutable copy. */
    static final class State {
        final Map<String, Entry> byKey;
        final Map<KeyringEntry, Entry> byName;
        final Map<String, DataKey> dataKeys;
        final Map<String, String> brokenKeys;
        final String currentId;
        final long currentModRevision;
        final long highestGeneration;
        final long revision;
        final Map<String, DamagedValue> damaged;

        State(Replica r) {
            this.byKey = r.byKey;
            this.byName = r.byName;
            this.dataKeys = r.dataKeys;
            this.brokenKeys = r.brokenKeys;
            this.currentId = r.currentId;
            this.currentModRevision = r.currentModRevision;
            this.highestGeneration = r.marks.generation();
            this.revision = r.revision;
            this.damaged = r.damaged;
        }

        /** @return the data key named current, or {@code null} if there is none or this copy cannot use it */
        DataKey current() {
            return currentId == null ? null : dataKeys.get(currentId);
        }

        /** @return whether current names a data key older than the newest this instance has seen */
        boolean currentRolledBack() {
            DataKey current = current();
            return current != null && current.generation < highestGeneration;
        }

        /** @return the damaged values whose data key this copy cannot use, so whose names are unknown */
        List<Map.Entry<String, DamagedValue>> unattributed() {
            List<Map.Entry<String, DamagedValue>> unknown = new ArrayList<>();
            for (Map.Entry<String, DamagedValue> damage : damaged.entrySet()) {
                if (damage.getValue().keyId == null || !dataKeys.containsKey(damage.getValue().keyId)) {
                    unknown.add(damage);
                }
            }
            return unknown;
        }
    }

    private final EtcdLayout layout;
    private final MemorySeal seal;
    private final KeyEncryptionKey kek;
    private final HighWaterMarks marks;
    private volatile State state;
    // guarded by this: the working copy the next State is made from
    private Map<String, Entry> byKey = new HashMap<>();
    private Map<KeyringEntry, Entry> byName = new HashMap<>();
    private Map<String, DataKey> dataKeys = new HashMap<>();
    private Map<String, String> brokenKeys = new LinkedHashMap<>();
    private final Map<String, Long> tombstones = new HashMap<>();
    private Map<String, DamagedValue> damaged = new LinkedHashMap<>();
    private String currentId;
    private long currentModRevision;
    private long revision;

    Replica(EtcdLayout layout, MemorySeal seal, KeyEncryptionKey kek, HighWaterMarks marks) {
        this.layout = layout;
        this.seal = seal;
        this.kek = kek;
        this.marks = marks;
    }

    /** @return the key that unwraps the data keys */
    KeyEncryptionKey kek() {
        return kek;
    }

    /** @return the high-water marks the copy checks values against */
    HighWaterMarks marks() {
        return marks;
    }

    /** @return the copy, or {@code null} before the first load */
    State state() {
        return state;
    }

    /** Replaces the copy with a range read's keys at its revision. */
    synchronized void reset(Iterable<Map<String, Object>> kvs, long atRevision) {
        byKey = new HashMap<>();
        byName = new HashMap<>();
        dataKeys = new HashMap<>();
        brokenKeys = new LinkedHashMap<>();
        damaged = new LinkedHashMap<>();
        tombstones.clear();
        currentId = null;
        currentModRevision = 0;
        revision = atRevision;
        // the data keys first, whatever order the range gave
        for (Map<String, Object> kv : kvs) {
            if (key(kv).startsWith(layout.keys) || key(kv).equals(layout.current)) {
                put(kv);
            }
        }
        for (Map<String, Object> kv : kvs) {
            if (key(kv).startsWith(layout.entries)) {
                put(kv);
            }
        }
        publish();
    }

    /** Applies events of the watch, which has now seen everything up to {@code atRevision}. */
    synchronized void apply(Iterable<Map<String, Object>> events, long atRevision) {
        copyOnWrite();
        for (Map<String, Object> event : events) {
            Map<String, Object> kv = Json.object(event, "kv");
            if ("DELETE".equals(Json.text(event, "type"))) {
                delete(key(kv), Json.number(kv, "mod_revision"));
            } else {
                put(kv);
            }
        }
        revision = Math.max(revision, atRevision);
        tombstones.values().removeIf(at -> at <= revision);
        publish();
    }

    /** Applies this process's own committed put, so that it reads what it wrote at once. */
    synchronized void applyPut(String etcdKey, byte[] value, long modRevision) {
        copyOnWrite();
        put(etcdKey, value, modRevision);
        publish();
    }

    /** Applies this process's own committed delete. */
    synchronized void applyDelete(String etcdKey, long atRevision) {
        copyOnWrite();
        delete(etcdKey, atRevision);
        publish();
    }

    private void copyOnWrite() {
        byKey = new HashMap<>(byKey);
        byName = new HashMap<>(byName);
        dataKeys = new HashMap<>(dataKeys);
        brokenKeys = new LinkedHashMap<>(brokenKeys);
        damaged = new LinkedHashMap<>(damaged);
    }

    private void publish() {
        state = new State(this);
        marks.saveLater();
    }

    private static String key(Map<String, Object> kv) {
        return new String(Json.bytes(kv, "key"), StandardCharsets.UTF_8);
    }

    private void put(Map<String, Object> kv) {
        put(key(kv), Json.bytes(kv, "value"), Json.number(kv, "mod_revision"));
    }

    private boolean stale(String etcdKey, long modRevision) {
        Entry existing = byKey.get(etcdKey);
        Long deletedAt = tombstones.get(etcdKey);
        DamagedValue damage = damaged.get(etcdKey);
        return existing != null && existing.modRevision >= modRevision || deletedAt != null && deletedAt >= modRevision
                || damage != null && damage.modRevision > modRevision;
    }

    private void put(String etcdKey, byte[] value, long modRevision) {
        if (stale(etcdKey, modRevision)) {
            return;
        }
        tombstones.remove(etcdKey);
        if (etcdKey.equals(layout.current)) {
            currentId = new String(value, StandardCharsets.US_ASCII);
            currentModRevision = modRevision;
        } else if (etcdKey.startsWith(layout.keys)) {
            putDataKey(etcdKey, value);
        } else if (etcdKey.startsWith(layout.entries)) {
            damaged.remove(etcdKey);
            remove(etcdKey);
            putEntry(etcdKey, value, modRevision);
        }
    }

    private void putDataKey(String etcdKey, byte[] value) {
        String id = etcdKey.substring(layout.keys.length());
        try {
            DataKey key = DataKey.unwrap(kek, etcdKey, value);
            dataKeys.put(id, key);
            brokenKeys.remove(id);
            marks.raiseGeneration(key.generation);
        } catch (BackendException e) {
            dataKeys.remove(id);
            brokenKeys.put(id, e.getMessage());
            return;
        }
        // the values that waited for this key
        for (Map.Entry<String, DamagedValue> waiting : new ArrayList<>(damaged.entrySet())) {
            if (id.equals(waiting.getValue().keyId)) {
                damaged.remove(waiting.getKey());
                putEntry(waiting.getKey(), waiting.getValue().stored, waiting.getValue().modRevision);
            }
        }
    }

    private void putEntry(String etcdKey, byte[] value, long modRevision) {
        String id = DataKey.idOf(value);
        DataKey key = id == null ? null : dataKeys.get(id);
        if (key == null) {
            String why = id == null ? "is not in Coffer's format"
                    : brokenKeys.containsKey(id) ? "is sealed with data key " + id + ", which does not open: "
                    + brokenKeys.get(id) : "is sealed with data key " + id + ", which etcd does not hold";
            damaged.put(etcdKey, new DamagedValue(id, why + " (at " + etcdKey + ")", value, modRevision));
            return;
        }
        try {
            DataKey.Opened opened = key.open(etcdKey, value);
            try {
                KeyringEntry name = new KeyringEntry(opened.service, opened.username);
                long mark = marks.counter(name);
                if (opened.counter < mark) {
                    damaged.put(etcdKey, new DamagedValue(id, "was rolled back: it carries counter " + opened.counter
                            + ", older than counter " + mark + " this instance has seen (at " + etcdKey + ")",
                            value, modRevision));
                    return;
                }
                marks.raise(name, opened.counter);
                Entry entry = new Entry(etcdKey, modRevision, name, opened.counter, seal.seal(opened.secret));
                byKey.put(etcdKey, entry);
                Entry other = byName.get(name);
                if (other == null || other.modRevision < modRevision) {
                    byName.put(name, entry);
                }
            } finally {
                opened.secret.destroy();
            }
        } catch (BackendException e) {
            damaged.put(etcdKey, new DamagedValue(id, e.getMessage(), value, modRevision));
        }
    }

    private void delete(String etcdKey, long atRevision) {
        if (stale(etcdKey, atRevision)) {
            return;
        }
        tombstones.put(etcdKey, atRevision);
        damaged.remove(etcdKey);
        if (etcdKey.equals(layout.current)) {
            currentId = null;
            currentModRevision = 0;
        } else if (etcdKey.startsWith(layout.keys)) {
            dataKeys.remove(etcdKey.substring(layout.keys.length()));
            brokenKeys.remove(etcdKey.substring(layout.keys.length()));
        } else {
            remove(etcdKey);
        }
    }

    /** Removes an entry; another etcd key holding the same names (left by a rotation) takes its place. */
    private void remove(String etcdKey) {
        Entry removed = byKey.remove(etcdKey);
        if (removed == null || byName.get(removed.name) != removed) {
            return;
        }
        byName.remove(removed.name);
        for (Entry other : byKey.values()) {
            Entry best = byName.get(other.name);
            if (other.name.equals(removed.name) && (best == null || best.modRevision < other.modRevision)) {
                byName.put(other.name, other);
            }
        }
    }
}
