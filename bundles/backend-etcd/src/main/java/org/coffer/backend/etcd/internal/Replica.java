package org.coffer.backend.etcd.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.crypto.MemorySeal;
import org.coffer.crypto.SealedSecret;
import org.coffer.spi.KeyringEntry;

/**
 * This process's copy of the prefix: every entry opened once and sealed in memory, the
 * data keys unwrapped, at the revision the load or the watch reached. Readers take the
 * current {@link State} without a lock; the watch and this process's own writes change
 * it one at a time, each change kept only if it is newer than what the copy holds for
 * that key (a delete leaves a tombstone until the watch has passed its revision).
 */
final class Replica {

    /** One entry of the copy. */
    static final class Entry {
        final String etcdKey;
        final long modRevision;
        final KeyringEntry name;
        final SealedSecret sealed;

        Entry(String etcdKey, long modRevision, KeyringEntry name, SealedSecret sealed) {
            this.etcdKey = etcdKey;
            this.modRevision = modRevision;
            this.name = name;
            this.sealed = sealed;
        }
    }

    /** An immutable copy; {@code failure} says why it cannot be read when it is not {@code null}. */
    static final class State {
        final Map<String, Entry> byKey;
        final Map<KeyringEntry, Entry> byName;
        final Map<String, DataKey> dataKeys;
        final String currentId;
        final long currentModRevision;
        final long revision;
        final Map<String, String> damaged;
        final String failure;

        State(Map<String, Entry> byKey, Map<KeyringEntry, Entry> byName, Map<String, DataKey> dataKeys,
                String currentId, long currentModRevision, long revision, Map<String, String> damaged, String failure) {
            this.byKey = byKey;
            this.byName = byName;
            this.dataKeys = dataKeys;
            this.currentId = currentId;
            this.currentModRevision = currentModRevision;
            this.revision = revision;
            this.damaged = damaged;
            this.failure = failure;
        }

        DataKey current() {
            return currentId == null ? null : dataKeys.get(currentId);
        }
    }

    private final EtcdLayout layout;
    private final MemorySeal seal;
    private final KeyEncryptionKey kek;
    private volatile State state;
    // guarded by this: the working copy the next State is made from
    private Map<String, Entry> byKey = new HashMap<>();
    private Map<KeyringEntry, Entry> byName = new HashMap<>();
    private Map<String, DataKey> dataKeys = new HashMap<>();
    private final Map<String, Long> tombstones = new HashMap<>();
    private Map<String, String> damaged = new LinkedHashMap<>();
    private String currentId;
    private long currentModRevision;
    private long revision;
    private String failure;

    Replica(EtcdLayout layout, MemorySeal seal, KeyEncryptionKey kek) {
        this.layout = layout;
        this.seal = seal;
        this.kek = kek;
    }

    /** @return the key that unwraps the data keys */
    KeyEncryptionKey kek() {
        return kek;
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
        damaged = new LinkedHashMap<>();
        tombstones.clear();
        currentId = null;
        currentModRevision = 0;
        failure = null;
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
        damaged = new LinkedHashMap<>(damaged);
    }

    private void publish() {
        state = new State(byKey, byName, dataKeys, currentId, currentModRevision, revision, damaged, failure);
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
        return existing != null && existing.modRevision >= modRevision || deletedAt != null && deletedAt >= modRevision;
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
            try {
                DataKey key = DataKey.unwrap(kek, etcdKey, value);
                dataKeys.put(key.id, key);
            } catch (BackendException e) {
                failure = e.getMessage();
            }
        } else if (etcdKey.startsWith(layout.entries)) {
            damaged.remove(etcdKey);
            remove(etcdKey);
            DataKey key = dataKeys.get(String.valueOf(DataKey.idOf(value)));
            if (key == null) {
                damaged.put(etcdKey, "sealed with a data key this copy does not hold");
                return;
            }
            try {
                DataKey.Opened opened = key.open(etcdKey, value);
                try {
                    KeyringEntry name = new KeyringEntry(opened.service, opened.username);
                    Entry entry = new Entry(etcdKey, modRevision, name, seal.seal(opened.secret));
                    byKey.put(etcdKey, entry);
                    Entry other = byName.get(name);
                    if (other == null || other.modRevision < modRevision) {
                        byName.put(name, entry);
                    }
                } finally {
                    opened.secret.destroy();
                }
            } catch (BackendException e) {
                damaged.put(etcdKey, e.getMessage());
            }
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
