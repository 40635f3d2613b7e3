package org.coffer.backend.etcd.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * apart, and fails only the values it seals; deleting it heals the copy. Those rules are
 * {@link WorkingCopy}'s, the copy the next {@link State} is made from.
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

        State(WorkingCopy r) {
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
    private final KeyEncryptionKey kek;
    private final HighWaterMarks marks;
    private volatile State state;
    // guarded by this: the working copy the next State is made from
    private final WorkingCopy working;

    Replica(EtcdLayout layout, MemorySeal seal, KeyEncryptionKey kek, HighWaterMarks marks) {
        this.layout = layout;
        this.kek = kek;
        this.marks = marks;
        this.working = new WorkingCopy(layout, seal, kek, marks);
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
        working.clear(atRevision);
        // the data keys first, whatever order the range gave
        for (Map<String, Object> kv : kvs) {
            String key = WorkingCopy.key(kv);
            if (key.startsWith(layout.keys) || key.equals(layout.current)) {
                working.put(kv);
            }
        }
        for (Map<String, Object> kv : kvs) {
            if (WorkingCopy.key(kv).startsWith(layout.entries)) {
                working.put(kv);
            }
        }
        publish();
    }

    /** Applies events of the watch, which has now seen everything up to {@code atRevision}. */
    synchronized void apply(Iterable<Map<String, Object>> events, long atRevision) {
        working.copyOnWrite();
        for (Map<String, Object> event : events) {
            Map<String, Object> kv = Json.object(event, "kv");
            if ("DELETE".equals(Json.text(event, "type"))) {
                working.delete(WorkingCopy.key(kv), Json.number(kv, "mod_revision"));
            } else {
                working.put(kv);
            }
        }
        working.reached(atRevision);
        publish();
    }

    /** Applies this process's own committed put, so that it reads what it wrote at once. */
    synchronized void applyPut(String etcdKey, byte[] value, long modRevision) {
        working.copyOnWrite();
        working.put(etcdKey, value, modRevision);
        publish();
    }

    /** Applies this process's own committed delete. */
    synchronized void applyDelete(String etcdKey, long atRevision) {
        working.copyOnWrite();
        working.delete(etcdKey, atRevision);
        publish();
    }

    private void publish() {
        state = new State(working);
        marks.saveLater();
    }
}
