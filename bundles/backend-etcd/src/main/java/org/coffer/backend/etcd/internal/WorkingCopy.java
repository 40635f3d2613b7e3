package org.coffer.backend.etcd.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.backend.etcd.internal.Replica.Entry;
import org.coffer.spi.support.MemorySeal;

/**
 * The working copy a {@link Replica}'s next {@link Replica.State} is made from, and the
 * rules by which a put or a delete changes it: a change older than what the copy holds
 * for its key is dropped; data keys are unwrapped, values opened, checked against the
 * {@link HighWaterMarks} and sealed in memory, and a value that cannot be trusted is kept
 * as damaged, waiting for its data key if that is what it lacks. Not thread-safe: the
 * replica changes it under its lock.
 */
final class WorkingCopy {

    private final EtcdLayout layout;
    private final MemorySeal seal;
    private final KeyEncryptionKey kek;
    final HighWaterMarks marks;
    Map<String, Entry> byKey = new HashMap<>();
    Map<KeyringEntry, Entry> byName = new HashMap<>();
    Map<String, DataKey> dataKeys = new HashMap<>();
    Map<String, String> brokenKeys = new LinkedHashMap<>();
    private final Map<String, Long> tombstones = new HashMap<>();
    Map<String, DamagedValue> damaged = new LinkedHashMap<>();
    String currentId;
    long currentModRevision;
    long revision;

    WorkingCopy(EtcdLayout layout, MemorySeal seal, KeyEncryptionKey kek, HighWaterMarks marks) {
        this.layout = layout;
        this.seal = seal;
        this.kek = kek;
        this.marks = marks;
    }

    /** Empties the copy, which a range read at {@code atRevision} fills again. */
    void clear(long atRevision) {
        byKey = new HashMap<>();
        byName = new HashMap<>();
        dataKeys = new HashMap<>();
        brokenKeys = new LinkedHashMap<>();
        damaged = new LinkedHashMap<>();
        tombstones.clear();
        currentId = null;
        currentModRevision = 0;
        revision = atRevision;
    }

    /** The watch has seen everything up to {@code atRevision}: the tombstones it passed go. */
    void reached(long atRevision) {
        revision = Math.max(revision, atRevision);
        tombstones.values().removeIf(at -> at <= revision);
    }

    /** Copies the maps, so that the published State keeps its own. */
    void copyOnWrite() {
        byKey = new HashMap<>(byKey);
        byName = new HashMap<>(byName);
        dataKeys = new HashMap<>(dataKeys);
        brokenKeys = new LinkedHashMap<>(brokenKeys);
        damaged = new LinkedHashMap<>(damaged);
    }

    static String key(Map<String, Object> kv) {
        return new String(Json.bytes(kv, "key"), StandardCharsets.UTF_8);
    }

    /** Applies a key and value as etcd gives them. */
    void put(Map<String, Object> kv) {
        put(key(kv), Json.bytes(kv, "value"), Json.number(kv, "mod_revision"));
    }

    private boolean stale(String etcdKey, long modRevision) {
        Entry existing = byKey.get(etcdKey);
        Long deletedAt = tombstones.get(etcdKey);
        DamagedValue damage = damaged.get(etcdKey);
        return existing != null && existing.modRevision >= modRevision || deletedAt != null && deletedAt >= modRevision
                || damage != null && damage.modRevision > modRevision;
    }

    /** Applies a put, unless the copy holds something newer for that key. */
    void put(String etcdKey, byte[] value, long modRevision) {
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

    /** Applies a delete, leaving a tombstone, unless the copy holds something newer for that key. */
    void delete(String etcdKey, long atRevision) {
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
