package org.coffer.backend.etcd.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coffer.BackendException;
import org.coffer.Secret;
import org.coffer.crypto.MemorySeal;
import org.coffer.spi.KeyringEntry;

/**
 * Reads from the {@link Replica} without touching the network, and writes with etcd
 * transactions that compare the revision of the current data key, so that nothing is
 * sealed with a key a rotation has just replaced. A write is acknowledged only after
 * etcd committed it, and the copy holds it at once.
 */
final class EtcdStore {

    private static final int ATTEMPTS = 5;

    private final String name;
    private final Gateway gateway;
    private final EtcdLayout layout;
    private final Follower follower;
    private final MemorySeal seal;
    private final Duration timeout;
    private volatile long committed;

    EtcdStore(String name, Gateway gateway, EtcdLayout layout, Follower follower, MemorySeal seal, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
        this.gateway = gateway;
        this.layout = layout;
        this.follower = follower;
        this.seal = seal;
    }

    /** @return the copy, readable; before the first load has ended, waits for it at most the timeout */
    Replica.State readable() {
        Replica.State state = state();
        if (state == null) {
            follower.awaitFirstAttempt(timeout);
            state = state();
        }
        if (state == null) {
            throw new BackendException("The " + name + " backend has not loaded its copy from etcd at "
                    + gateway.endpoints() + " yet: " + follower.problem());
        }
        if (state.failure != null) {
            throw new BackendException("The " + name + " backend cannot read etcd's entries: " + state.failure);
        }
        return state;
    }

    private Replica.State state() {
        Replica replica = follower.replica();
        return replica == null ? null : replica.state();
    }

    Optional<Secret> get(String service, String username) {
        Replica.Entry entry = readable().byName.get(new KeyringEntry(service, username));
        return entry == null ? Optional.empty() : Optional.of(seal.open(entry.sealed));
    }

    List<KeyringEntry> entries() {
        return new ArrayList<>(readable().byName.keySet());
    }

    void set(String service, String username, Secret secret) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Replica.State state = readable();
            DataKey key = state.current();
            if (key == null) {
                createDataKey(state);
                continue;
            }
            String etcdKey = key.entryKey(layout.entries, service, username);
            byte[] value = key.seal(etcdKey, service, username, secret);
            List<Object> success = new ArrayList<>();
            success.add(Map.of("request_put", Map.of("key", bytes(etcdKey), "value", value)));
            Set<String> others = keysOf(state, service, username);
            others.remove(etcdKey);
            others.forEach(other -> success.add(Map.of("request_delete_range", Map.of("key", bytes(other)))));
            Map<String, Object> answer = txn(List.of(currentIs(state)), success);
            if (Boolean.TRUE.equals(answer.get("succeeded"))) {
                long revision = Json.number(Json.object(answer, "header"), "revision");
                Replica replica = follower.replica();
                replica.applyPut(etcdKey, value, revision);
                others.forEach(other -> replica.applyDelete(other, revision));
                committed(revision);
                return;
            }
            refreshKeys();
        }
        throw new BackendException("The " + name + " backend could not write '" + username + "' of '" + service
                + "': etcd's data key changed " + ATTEMPTS + " times meanwhile; nothing was written");
    }

    boolean delete(String service, String username) {
        Replica.State state = readable();
        Set<String> keys = keysOf(state, service, username);
        DataKey current = state.current();
        if (current != null) {
            keys.add(current.entryKey(layout.entries, service, username));
        }
        if (keys.isEmpty()) {
            return false;
        }
        List<Object> success = new ArrayList<>();
        keys.forEach(key -> success.add(Map.of("request_delete_range", Map.of("key", bytes(key)))));
        Map<String, Object> answer = txn(List.of(), success);
        long revision = Json.number(Json.object(answer, "header"), "revision");
        long deleted = 0;
        for (Map<String, Object> response : Json.objects(answer, "responses")) {
            deleted += Json.number(Json.object(response, "response_delete_range"), "deleted");
        }
        keys.forEach(key -> follower.replica().applyDelete(key, revision));
        committed(revision);
        return deleted > 0;
    }

    private synchronized void committed(long revision) {
        committed = Math.max(committed, revision);
    }

    /** @return the revision of this process's last committed write, 0 before the first */
    long committed() {
        return committed;
    }

    /** Every etcd key of the copy that holds these names (more than one only after an interrupted rotation). */
    static Set<String> keysOf(Replica.State state, String service, String username) {
        KeyringEntry wanted = new KeyringEntry(service, username);
        Set<String> keys = new LinkedHashSet<>();
        state.byKey.values().stream().filter(entry -> entry.name.equals(wanted)).forEach(entry -> keys.add(entry.etcdKey));
        return keys;
    }

    /** The first data key of the prefix: stored wrapped, and named current, if no other process did it first. */
    private void createDataKey(Replica.State state) {
        KeyEncryptionKey kek = follower.replica().kek();
        byte[][] wrapped = new byte[1][];
        DataKey key = DataKey.generate(kek, layout.keys, w -> wrapped[0] = w);
        Map<String, Object> absent = new LinkedHashMap<>();
        absent.put("key", bytes(layout.current));
        absent.put("target", "CREATE");
        absent.put("result", "EQUAL");
        absent.put("create_revision", 0);
        txn(List.of(absent), List.of(
                Map.of("request_put", Map.of("key", bytes(layout.keys + key.id), "value", wrapped[0])),
                Map.of("request_put", Map.of("key", bytes(layout.current),
                        "value", key.id.getBytes(StandardCharsets.US_ASCII)))));
        refreshKeys();
    }

    /** Reads the current data key's id and every data key: the range from PREFIX/current to PREFIX/keys/ and beyond. */
    void refreshKeys() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("key", bytes(layout.current));
        request.put("range_end", bytes(layout.prefix + "keys0"));
        Map<String, Object> answer = gateway.call("/v3/kv/range", request);
        Replica replica = follower.replica();
        for (Map<String, Object> kv : Json.objects(answer, "kvs")) {
            replica.applyPut(new String(Json.bytes(kv, "key"), StandardCharsets.UTF_8), Json.bytes(kv, "value"),
                    Json.number(kv, "mod_revision"));
        }
    }

    /** A comparison that holds while the current data key is the one of the copy. */
    Map<String, Object> currentIs(Replica.State state) {
        Map<String, Object> compare = new LinkedHashMap<>();
        compare.put("key", bytes(layout.current));
        compare.put("target", "MOD");
        compare.put("result", "EQUAL");
        compare.put("mod_revision", state.currentModRevision);
        return compare;
    }

    Map<String, Object> txn(List<Object> compare, List<Object> success) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("compare", compare);
        request.put("success", success);
        return gateway.call("/v3/kv/txn", request);
    }

    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
