package org.coffer.backend.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.coffer.BackendException;
import org.coffer.IntegrityException;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.backend.etcd.fixture.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a writer of etcd can do to the values of a fleet, done on a real etcd member with
 * etcdctl: a value taken back from etcd's history, a data key and {@code current} taken
 * back after a rotation, a flipped tag, a junk data key. Each is refused and reported,
 * naming the entry and never a value, and fails nothing beyond what it touches.
 */
class EtcdIntegrityTest {

    @TempDir
    static Path dir;
    private static EtcdCluster cluster;
    private EtcdBackends backends;
    private String prefix;
    private Path kek;
    private Path state;

    @BeforeAll
    static void startTheCluster() {
        EtcdBackends.requireEtcd();
        cluster = EtcdCluster.start(dir.resolve("cluster"), 1);
    }

    @AfterAll
    static void stopTheCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openTheBackends() {
        state = dir.resolve("state-" + System.nanoTime());
        backends = new EtcdBackends(cluster, state);
        prefix = "/integrity-" + System.nanoTime();
        kek = dir.resolve("kek-" + System.nanoTime());
    }

    @AfterEach
    void closeTheBackends() {
        backends.close();
    }

    private static String value(java.util.Optional<Secret> secret) {
        return secret.map(Secret::reveal).orElse(null);
    }

    /** Waits until the backend's copy holds every change made to etcd so far. */
    private static void awaitCopy(EtcdBackend backend) {
        long target = cluster.revision();
        EtcdBackends.await("the copy at revision " + target, () -> backend.copyRevision() >= target,
                () -> "at " + backend.copyRevision());
    }

    private Set<String> valueKeys() {
        return new HashSet<>(cluster.getPrefix(prefix + "/v1/").keySet());
    }

    /** @return the etcd key a set added */
    private String keyOf(EtcdBackend backend, String service, String username, String value) {
        Set<String> before = valueKeys();
        backend.set(service, username, Secret.of(value));
        Set<String> after = valueKeys();
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return after.iterator().next();
    }

    private String current() {
        return new String(cluster.getPrefix(prefix + "/current").get(prefix + "/current"), StandardCharsets.US_ASCII);
    }

    @Test
    void aValueTakenBackFromEtcdsHistoryIsRefusedNamingTheEntryAlsoAfterARestart() throws Exception {
        EtcdBackend first = backends.open(prefix, kek);
        String key = keyOf(first, "svc", "alice", "value one");
        long one = cluster.revision();
        first.set("svc", "alice", Secret.of("value two"));
        cluster.put(key, cluster.getAt(key, one));
        awaitCopy(first);
        assertThatThrownBy(() -> first.get("svc", "alice")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("etcd").hasMessageContaining("'alice' of 'svc'")
                .hasMessageContaining("rolled back").hasMessageNotContaining("value one")
                .hasMessageNotContaining("value two");
        assertThat(first.diagnose().warnings()).anyMatch(w -> w.contains("rolled back"));

        // the next process of the same user remembers what this one saw
        backends.stop(first);
        try (Stream<Path> files = Files.walk(state)) {
            List<Path> marks = files.filter(Files::isRegularFile).toList();
            assertThat(marks).isNotEmpty();
            for (Path file : marks) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }
        }
        EtcdBackend restarted = backends.open(prefix, kek);
        assertThatThrownBy(() -> restarted.get("svc", "alice")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("'alice' of 'svc'").hasMessageContaining("rolled back");

        // what stays undetectable: an instance that never saw the newer value takes the older one
        EtcdBackend stranger = backends.open(prefix, kek, 5, dir.resolve("stranger-" + System.nanoTime()));
        assertThat(value(stranger.get("svc", "alice"))).isEqualTo("value one");

        // set again, the entry reads everywhere
        restarted.set("svc", "alice", Secret.of("value three"));
        backends.awaitSeen(stranger);
        assertThat(value(restarted.get("svc", "alice"))).isEqualTo("value three");
        assertThat(value(stranger.get("svc", "alice"))).isEqualTo("value three");
    }

    @Test
    void aDataKeyAndCurrentTakenBackAfterARotationAreRefusedAndNothingIsSealedUnderThem() {
        EtcdBackend backend = backends.open(prefix, kek);
        backend.set("svc", "alice", Secret.of("sealed before the rotation"));
        String oldId = current();
        byte[] oldKey = cluster.getPrefix(prefix + "/keys/").get(prefix + "/keys/" + oldId);
        backend.rotate();
        String newId = current();
        assertThat(newId).isNotEqualTo(oldId);
        cluster.put(prefix + "/keys/" + oldId, oldKey);
        cluster.put(prefix + "/current", oldId.getBytes(StandardCharsets.US_ASCII));
        awaitCopy(backend);
        Set<String> before = valueKeys();
        assertThatThrownBy(() -> backend.set("svc", "bob", Secret.of("never under the old key")))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(oldId).hasMessageContaining("rolled back");
        assertThat(valueKeys()).isEqualTo(before);
        assertThatThrownBy(() -> backend.get("svc", "alice")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("'alice' of 'svc'").hasMessageContaining("rolled back");

        // the newer key deleted too, and read by the next process of the same user
        cluster.etcdctl("del", prefix + "/keys/" + newId);
        backends.stop(backend);
        EtcdBackend restarted = backends.open(prefix, kek);
        assertThatThrownBy(() -> restarted.set("svc", "bob", Secret.of("never under the old key")))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("rolled back");
        assertThat(valueKeys()).isEqualTo(before);
    }

    @Test
    void aValueWithAFlippedTagIsAnIntegrityErrorNamingTheEntryNeverNotFound() {
        EtcdBackend backend = backends.open(prefix, kek);
        String alice = keyOf(backend, "svc", "alice", "alice's value");
        backend.set("svc", "bob", Secret.of("bob's value"));
        byte[] stored = cluster.getPrefix(alice).get(alice);
        stored[stored.length - 1] ^= 1;
        cluster.put(alice, stored);
        awaitCopy(backend);
        assertThatThrownBy(() -> backend.get("svc", "alice")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("etcd").hasMessageContaining("'alice' of 'svc'")
                .hasMessageContaining("fails authentication").hasMessageNotContaining("alice's value");
        assertThat(value(backend.get("svc", "bob"))).isEqualTo("bob's value");
        assertThat(backend.get("svc", "carol")).isEmpty();
    }

    @Test
    void aJunkDataKeyFailsOnlyWhatItSealsAndDeletingItHealsWithoutARestart() {
        EtcdBackend backend = backends.open(prefix, kek);
        backend.set("svc", "alice", Secret.of("kept"));
        String good = current();
        String junk = prefix + "/keys/0000000000000000";
        cluster.put(junk, "junk".getBytes(StandardCharsets.US_ASCII));
        awaitCopy(backend);
        assertThat(value(backend.get("svc", "alice"))).isEqualTo("kept");
        backend.set("svc", "bob", Secret.of("written beside the junk"));
        assertThat(value(backend.get("svc", "bob"))).isEqualTo("written beside the junk");
        assertThat(backend.diagnose().warnings()).anyMatch(w -> w.contains("0000000000000000"));

        // named current, it fails the writes it would seal, and nothing else
        cluster.put(prefix + "/current", "0000000000000000".getBytes(StandardCharsets.US_ASCII));
        awaitCopy(backend);
        assertThatThrownBy(() -> backend.set("svc", "carol", Secret.of("not under junk")))
                .isInstanceOf(BackendException.class).hasMessageContaining("0000000000000000");
        assertThat(value(backend.get("svc", "alice"))).isEqualTo("kept");

        // deleted and current named back: healed, in the same process
        cluster.etcdctl("del", junk);
        cluster.put(prefix + "/current", good.getBytes(StandardCharsets.US_ASCII));
        awaitCopy(backend);
        backend.set("svc", "carol", Secret.of("after the junk"));
        assertThat(value(backend.get("svc", "carol"))).isEqualTo("after the junk");
        assertThat(backend.diagnose().warnings()).isEmpty();
    }

    /** Values and data keys written before they carried a counter and a generation: counter 0, generation 0. */
    @Test
    void valuesOfTheFirstFormatStillReadAndRotate() throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("first-format.txt")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).forEach(lines::add);
        }
        Path legacyKek = dir.resolve("legacy-kek");
        Files.writeString(legacyKek, lines.get(0).split(" ")[1]);
        Files.setPosixFilePermissions(legacyKek, PosixFilePermissions.fromString("rw-------"));
        for (String line : lines.subList(1, lines.size())) {
            String[] kv = line.split(" ");
            cluster.put(kv[0], java.util.Base64.getDecoder().decode(kv[1]));
        }
        EtcdBackend backend = backends.open("/legacy", legacyKek);
        assertThat(value(backend.get("legacy service", "alice"))).isEqualTo("written by the first format");
        assertThat(backend.rotate()).isEqualTo(1);
        assertThat(value(backend.get("legacy service", "alice"))).isEqualTo("written by the first format");
        backend.set("legacy service", "alice", Secret.of("rewritten"));
        EtcdBackend other = backends.open("/legacy", legacyKek);
        assertThat(value(other.get("legacy service", "alice"))).isEqualTo("rewritten");
    }

    /** The entries the backend reads its own key and password from never resolve as references. */
    @Test
    void theKeyEncryptionKeyAndPasswordEntriesAreDeclaredProtected() {
        EtcdBackend local = new EtcdBackend("etcd", new EtcdBackend.Settings("http://127.0.0.1:9", "/p", "",
                "coffer etcd kek", "fleet", "coffer", "coffer etcd", "coffer", 1), "", "", "", state);
        EtcdBackend file = new EtcdBackend("etcd", new EtcdBackend.Settings("http://127.0.0.1:9", "/p",
                kek.toString(), "", "", "", "", "", 1), "", "", "", state);
        try {
            assertThat(local.protectedEntries()).containsExactlyInAnyOrder(
                    new KeyringEntry("coffer etcd kek", "fleet"), new KeyringEntry("coffer etcd", "coffer"));
            assertThat(file.protectedEntries()).isEmpty();
        } finally {
            local.deactivate();
            file.deactivate();
        }
    }

    /** The provider supplies the key and the password from their local entries; the backend never looks it up. */
    @Test
    void awaitsTheEntriesItNeedsUntilTheProviderSuppliesThem() {
        EtcdBackend local = new EtcdBackend("etcd", new EtcdBackend.Settings("http://127.0.0.1:9", "/p", "",
                "coffer etcd kek", "fleet", "coffer", "coffer etcd", "coffer", 1), "", "", "", state);
        EtcdBackend file = new EtcdBackend("etcd", new EtcdBackend.Settings("http://127.0.0.1:9", "/p",
                kek.toString(), "", "", "", "", "", 1), "", "", "", state);
        try {
            assertThat(file.awaitsEntries()).isFalse();
            assertThat(local.awaitsEntries()).isTrue();
            local.supply(new KeyringEntry("coffer etcd kek", "other"), Secret.of("not declared"));
            local.supply(new KeyringEntry("coffer etcd kek", "fleet"), Secret.of("a key"));
            assertThat(local.awaitsEntries()).as("the etcd user's password is still missing").isTrue();
            local.supply(new KeyringEntry("coffer etcd", "coffer"), Secret.of("etcd password"));
            assertThat(local.awaitsEntries()).isFalse();
        } finally {
            local.deactivate();
            file.deactivate();
        }
    }
}
