package org.coffer.backend.etcd.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.Secret;
import org.coffer.spi.support.MemorySeal;

/**
 * Replaces the data key: a new one is stored and named current, then every value is
 * sealed again under it, {@value #BATCH} per transaction (each moved only if it did not
 * change meanwhile), then the old keys are deleted. Every copy holds the old and the new
 * data key until the end, so no reader meets a value it cannot open.
 */
final class Rotation {

    /** Values per transaction: a compare, a delete and a put each, within etcd's default of 128 operations. */
    static final int BATCH = 40;
    private static final int ATTEMPTS = 20;

    private final String name;
    private final EtcdStore store;
    private final EtcdLayout layout;
    private final Follower follower;
    private final MemorySeal seal;

    Rotation(String name, EtcdStore store, EtcdLayout layout, Follower follower, MemorySeal seal) {
        this.name = name;
        this.store = store;
        this.layout = layout;
        this.follower = follower;
        this.seal = seal;
    }

    /** @return how many values were sealed again */
    synchronized int run() {
        DataKey next = install();
        int moved = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Replica.State state = store.readable();
            if (!next.id.equals(state.currentId)) {
                throw new BackendException("Another process replaced the data key during the rotation to "
                        + next.id + "; run it again");
            }
            List<Replica.Entry> old = new ArrayList<>();
            for (Replica.Entry entry : state.byKey.values()) {
                if (!entry.etcdKey.equals(next.entryKey(layout.entries, entry.name.service(), entry.name.username()))) {
                    old.add(entry);
                }
            }
            if (old.isEmpty()) {
                retire(state, next);
                return moved;
            }
            for (int from = 0; from < old.size(); from += BATCH) {
                moved += move(state, next, old.subList(from, Math.min(old.size(), from + BATCH)));
            }
        }
        throw new BackendException("The " + name + " backend's rotation to data key " + next.id + " did not finish:"
                + " values kept changing; every value still opens, run it again");
    }

    /** Stores a new data key and names it current. */
    private DataKey install() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Replica.State state = store.readable();
            byte[][] wrapped = new byte[1][];
            DataKey next = DataKey.generate(follower.replica().kek(), layout.keys, state.highestGeneration + 1,
                    w -> wrapped[0] = w);
            List<Object> compare = new ArrayList<>();
            if (state.currentId != null) {
                compare.add(store.currentIs(state));
            }
            Map<String, Object> answer = store.txn(compare, List.of(
                    Map.of("request_put", Map.of("key", EtcdStore.bytes(layout.keys + next.id), "value", wrapped[0])),
                    Map.of("request_put", Map.of("key", EtcdStore.bytes(layout.current),
                            "value", next.id.getBytes(StandardCharsets.US_ASCII)))));
            store.refreshKeys();
            if (Boolean.TRUE.equals(answer.get("succeeded")) && next.id.equals(store.readable().currentId)) {
                return next;
            }
        }
        throw new BackendException("The " + name + " backend could not install a new data key: the current one"
                + " kept changing");
    }

    /** Seals a batch again in one transaction; an entry changed meanwhile fails the batch, and the next round takes it. */
    private int move(Replica.State state, DataKey next, List<Replica.Entry> batch) {
        List<Object> compare = new ArrayList<>();
        List<Object> success = new ArrayList<>();
        List<String> puts = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        compare.add(store.currentIs(store.readable()));
        for (Replica.Entry entry : batch) {
            compare.add(EtcdStore.modIs(entry.etcdKey, entry.modRevision));
            String key = next.entryKey(layout.entries, entry.name.service(), entry.name.username());
            byte[] value;
            try (Secret secret = seal.open(entry.sealed)) {
                // the same value, so the same counter
                value = next.seal(key, entry.name.service(), entry.name.username(), entry.counter, secret);
            }
            success.add(Map.of("request_delete_range", Map.of("key", EtcdStore.bytes(entry.etcdKey))));
            success.add(Map.of("request_put", Map.of("key", EtcdStore.bytes(key), "value", value)));
            puts.add(key);
            values.add(value);
        }
        Map<String, Object> answer = store.txn(compare, success);
        if (!Boolean.TRUE.equals(answer.get("succeeded"))) {
            return 0;
        }
        long revision = Json.number(Json.object(answer, "header"), "revision");
        Replica replica = follower.replica();
        for (int i = 0; i < batch.size(); i++) {
            replica.applyDelete(batch.get(i).etcdKey, revision);
            replica.applyPut(puts.get(i), values.get(i), revision);
        }
        return batch.size();
    }

    /** Deletes every data key but the new one, once no value is sealed with them. */
    private void retire(Replica.State state, DataKey next) {
        List<Object> success = new ArrayList<>();
        for (String id : state.dataKeys.keySet()) {
            if (!id.equals(next.id)) {
                success.add(Map.of("request_delete_range", Map.of("key", EtcdStore.bytes(layout.keys + id))));
            }
        }
        if (!success.isEmpty()) {
            Map<String, Object> answer = store.txn(List.of(store.currentIs(state)), success);
            long revision = Json.number(Json.object(answer, "header"), "revision");
            if (Boolean.TRUE.equals(answer.get("succeeded"))) {
                for (String id : state.dataKeys.keySet()) {
                    if (!id.equals(next.id)) {
                        follower.replica().applyDelete(layout.keys + id, revision);
                    }
                }
            }
        }
    }
}
