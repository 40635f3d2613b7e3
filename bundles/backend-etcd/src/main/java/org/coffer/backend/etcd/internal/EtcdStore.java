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
import org.coffer.IntegrityException;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.support.MemorySeal;

/**
 * Reads from the {@link Replica} without touching the network, and writes with etcd
 * transactions that compare the revision of the current data key, so that nothing is
 * sealed with a key a rotation has just replaced, and the revision of the entry's key,
 * so that the counter a value carries is above every counter written before it: it is
 * one more than etcd's revision when the write began, or than the entry's high-water
 * mark if that is higher. A write is acknowledged only after etcd committed it, and the
 * copy holds it at once. A value that cannot be trusted fails the read of its entry
 * with an {@link IntegrityException}; it is never "not found".
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
        return state;
    }

    private Replica.State state() {
        Replica replica = follower.replica();
        return replica == null ? null : replica.state();
    }

    Optional<Secret> get(String service, String username) {
        Replica.State state = readable();
        refuseRolledBackCurrent(state, "read", service, username);
        for (String etcdKey : damagedKeysOf(state, service, username)) {
            throw new IntegrityException("The " + name + " backend's value for " + entry(service, username) + " "
                    + state.damaged.get(etcdKey).reason + "; set the entry again or delete it, and find out who"
                    + " wrote to etcd");
        }
        Replica.Entry entry = state.byName.get(new KeyringEntry(service, username));
        if (entry != null) {
            return Optional.of(seal.open(entry.sealed));
        }
        List<Map.Entry<String, DamagedValue>> unknown = state.unattributed();
        if (!unknown.isEmpty()) {
            throw new BackendException("The " + name + " backend cannot tell whether it holds "
                    + entry(service, username) + ": " + unknown.size() + " values in etcd name no data key this"
                    + " instance can use, and it may be one of them; for example the value "
                    + unknown.get(0).getValue().reason);
        }
        return Optional.empty();
    }

    private static String entry(String service, String username) {
        return "'" + username + "' of '" + service + "'";
    }

    /** @throws IntegrityException if current names a data key older than the newest this instance has seen */
    private void refuseRolledBackCurrent(Replica.State state, String what, String service, String username) {
        if (state.currentRolledBack()) {
            DataKey current = state.current();
            throw new IntegrityException("The " + name + " backend refuses to " + what + " " + entry(service, username)
                    + ": " + layout.current + " names data key " + current.id + " of generation "
                    + current.generation + ", older than generation " + state.highestGeneration + " this instance"
                    + " has seen, so it was rolled back. Put the newest data key back, or run etcd:rotate");
        }
    }

    /** @return the etcd keys of damaged values that hold these names, under any data key the copy holds */
    private Set<String> damagedKeysOf(Replica.State state, String service, String username) {
        Set<String> keys = new LinkedHashSet<>();
        if (!state.damaged.isEmpty()) {
            for (DataKey key : state.dataKeys.values()) {
                String etcdKey = key.entryKey(layout.entries, service, username);
                if (state.damaged.containsKey(etcdKey)) {
                    keys.add(etcdKey);
                }
            }
        }
        return keys;
    }

    /** @return the data key to seal a new value with, or {@code null} when the prefix has none yet */
    private DataKey sealingKey(Replica.State state, String service, String username) {
        if (state.currentId == null) {
            return null;
        }
        DataKey key = state.current();
        if (key == null) {
            String broken = state.brokenKeys.get(state.currentId);
            throw new BackendException("The " + name + " backend cannot write " + entry(service, username) + ": "
                    + layout.current + " names data key " + state.currentId + ", which " + (broken == null
                    ? "etcd does not hold" : "does not open: " + broken) + "; nothing was written. Name a data"
                    + " key that opens in " + layout.current + ", or run etcd:rotate");
        }
        refuseRolledBackCurrent(state, "write", service, username);
        return key;
    }

    List<KeyringEntry> entries() {
        return new ArrayList<>(readable().byName.keySet());
    }

    void set(String service, String username, Secret secret) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Replica.State state = readable();
            if (attempt == 0 && state.currentId != null && state.current() == null) {
                refreshKeys();
                state = readable();
            }
            DataKey key = sealingKey(state, service, username);
            if (key == null) {
                createDataKey(state);
                continue;
            }
            String etcdKey = key.entryKey(layout.entries, service, username);
            // the cluster's revision and the entry's, read linearizably: the counter is above both
            Map<String, Object> range = gateway.call("/v3/kv/range", Map.of("key", bytes(etcdKey)));
            List<Map<String, Object>> kvs = Json.objects(range, "kvs");
            long modRevision = kvs.isEmpty() ? 0 : Json.number(kvs.get(0), "mod_revision");
            long counter = Math.max(Json.number(Json.object(range, "header"), "revision"),
                    follower.replica().marks().counter(new KeyringEntry(service, username))) + 1;
            byte[] value = key.seal(etcdKey, service, username, counter, secret);
            List<Object> success = new ArrayList<>();
            success.add(Map.of("request_put", Map.of("key", bytes(etcdKey), "value", value)));
            Set<String> others = keysOf(state, service, username);
            others.addAll(damagedKeysOf(state, service, username));
            others.remove(etcdKey);
            others.forEach(other -> success.add(Map.of("request_delete_range", Map.of("key", bytes(other)))));
            Map<String, Object> answer = txn(List.of(currentIs(state), modIs(etcdKey, modRevision)), success);
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
        throw new BackendException("The " + name + " backend could not write " + entry(service, username)
                + ": etcd's data key or the entry changed " + ATTEMPTS + " times meanwhile; nothing was written");
    }

    boolean delete(String service, String username) {
        Replica.State state = readable();
        Set<String> keys = keysOf(state, service, username);
        keys.addAll(damagedKeysOf(state, service, username));
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
        DataKey key = DataKey.generate(kek, layout.keys, state.highestGeneration + 1, w -> wrapped[0] = w);
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
        return modIs(layout.current, state.currentModRevision);
    }

    /** A comparison that holds while the etcd key was last written at that revision (0: while it is absent). */
    static Map<String, Object> modIs(String etcdKey, long modRevision) {
        Map<String, Object> compare = new LinkedHashMap<>();
        compare.put("key", bytes(etcdKey));
        compare.put("target", "MOD");
        compare.put("result", "EQUAL");
        compare.put("mod_revision", modRevision);
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
