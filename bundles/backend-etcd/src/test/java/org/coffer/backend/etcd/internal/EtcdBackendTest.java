package org.coffer.backend.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.coffer.BackendException;
import org.coffer.IntegrityException;
import org.coffer.Secret;
import org.coffer.backend.etcd.fixture.EtcdCluster;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite and the etcd backend's own behaviour on a real 3-member cluster on
 * loopback ports, each test under a prefix of its own: what etcd holds, a wrong
 * key-encryption key, a value moved to another key, and the rotation of the data key.
 */
class EtcdBackendTest extends KeyringBackendContract {

    @TempDir
    static Path dir;
    private static EtcdCluster cluster;
    private EtcdBackends backends;
    private String prefix;
    private Path kek;

    @BeforeAll
    static void startTheCluster() {
        EtcdBackends.requireEtcd();
        cluster = EtcdCluster.start(dir.resolve("cluster"), 3);
    }

    @AfterAll
    static void stopTheCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected KeyringBackend newBackend() {
        backends = new EtcdBackends(cluster, dir.resolve("state"));
        prefix = "/coffer-test-" + System.nanoTime();
        kek = dir.resolve("kek-" + System.nanoTime());
        return backends.open(prefix, kek);
    }

    @Override
    protected KeyringBackend sameStore() {
        return backends.open(prefix, kek);
    }

    @Override
    protected void awaitWritesSeenBy(KeyringBackend reader) {
        backends.awaitSeen((EtcdBackend) reader);
    }

    @AfterEach
    void closeTheBackends() {
        backends.close();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void etcdHoldsNoServiceUsernameOrValueInClearTextAndTheKeyFileIsPrivate() throws Exception {
        backend.set("canary-service-Qz81", "canary-user-Wx27", Secret.of("canary-secret-Jk55"));
        Map<String, byte[]> stored = cluster.getPrefix(prefix + "/");
        assertThat(stored).isNotEmpty();
        for (Map.Entry<String, byte[]> kv : stored.entrySet()) {
            for (String canary : List.of("canary", "Qz81", "Wx27", "Jk55")) {
                assertThat(kv.getKey()).doesNotContain(canary);
                assertThat(text(kv.getValue())).doesNotContain(canary);
            }
            assertThat(kv.getKey()).matches(java.util.regex.Pattern.quote(prefix)
                    + "/(v1/[A-Za-z0-9_-]{43}|keys/[0-9a-f]{16}|current)");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kek))).isEqualTo("rw-------");
        assertThat(Files.readString(kek).strip()).hasSize(44);
    }

    @Test
    void aWrongKeyEncryptionKeySaysItCannotDecryptAndNeverAnswersGarbage() throws Exception {
        backend.set("svc", "alice", Secret.of("right value"));
        Path other = dir.resolve("other-kek-" + System.nanoTime());
        EtcdBackend wrong = backends.open(prefix, other);
        assertThatThrownBy(() -> wrong.get("svc", "alice")).isInstanceOf(BackendException.class)
                .hasMessageContaining("Cannot decrypt the data key").hasMessageContaining(other.toString())
                .hasMessageNotContaining("right value");
        assertThatThrownBy(() -> wrong.set("svc", "bob", Secret.of("x"))).isInstanceOf(BackendException.class);
        assertThat(wrong.diagnose().warnings()).anyMatch(w -> w.contains("Cannot decrypt"));
    }

    @Test
    void aValueMovedToAnotherKeyDoesNotDecrypt() throws Exception {
        backend.set("svc", "alice", Secret.of("alice's"));
        backend.set("svc", "bob", Secret.of("bob's"));
        Map<String, byte[]> stored = cluster.getPrefix(prefix + "/v1/");
        List<String> keys = new ArrayList<>(stored.keySet());
        Gateway gateway = new Gateway(List.of(java.net.URI.create(cluster.endpoints().get(0))), null, "",
                java.util.Optional::empty, Duration.ofSeconds(5));
        Map<String, Object> put = new LinkedHashMap<>();
        put.put("key", keys.get(1).getBytes(StandardCharsets.UTF_8));
        put.put("value", stored.get(keys.get(0)));
        gateway.call("/v3/kv/put", put);
        EtcdBackend reader = backends.open(prefix, kek);
        assertThat(reader.diagnose().warnings()).anyMatch(w -> w.contains("1 values in etcd cannot be trusted")
                && w.contains("moved from another key"));
        assertThat(reader.entries()).hasSize(1);
        String kept = reader.entries().get(0).username();
        assertThat(List.of("alice's", "bob's")).contains(value(reader.get("svc", kept)));
        String overwritten = kept.equals("alice") ? "bob" : "alice";
        assertThatThrownBy(() -> reader.get("svc", overwritten)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("'" + overwritten + "' of 'svc'").hasMessageContaining("moved from another key")
                .hasMessageNotContaining("alice's").hasMessageNotContaining("bob's");
    }

    @Test
    void rotationSealsEveryValueAgainWhileReadersNeverFail() throws Exception {
        int count = 100;
        for (int i = 0; i < count; i++) {
            backend.set("rotate", "user" + i, Secret.of("value " + i));
        }
        EtcdBackend reader = (EtcdBackend) sameStore();
        String before = new String(cluster.getPrefix(prefix + "/current").values().iterator().next(),
                StandardCharsets.US_ASCII);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread readers = new Thread(() -> {
            while (running.get()) {
                for (int i = 0; i < count; i++) {
                    try {
                        String value = value(reader.get("rotate", "user" + i));
                        if (!("value " + i).equals(value)) {
                            failures.add("user" + i + ": " + value);
                        }
                        reads.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }
        });
        readers.start();
        int moved;
        try {
            moved = ((EtcdBackend) backend).rotate();
        } finally {
            running.set(false);
            readers.join();
        }
        assertThat(moved).isEqualTo(count);
        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        Map<String, byte[]> stored = cluster.getPrefix(prefix + "/");
        String after = new String(stored.get(prefix + "/current"), StandardCharsets.US_ASCII);
        assertThat(after).isNotEqualTo(before);
        assertThat(stored.keySet()).filteredOn(k -> k.startsWith(prefix + "/keys/")).containsExactly(prefix + "/keys/" + after);
        assertThat(stored.keySet()).filteredOn(k -> k.startsWith(prefix + "/v1/")).hasSize(count);
        EtcdBackend fresh = backends.open(prefix, kek);
        for (int i = 0; i < count; i++) {
            assertThat(value(fresh.get("rotate", "user" + i))).isEqualTo("value " + i);
        }
        backends.awaitSeen(reader);
        assertThat(reader.entries()).hasSize(count);
    }

    /** A one-shot command's process reads at once after it started: its first read waits for the copy. */
    @Test
    void theFirstReadOfANewInstanceWaitsForItsCopy() {
        backend.set("svc", "alice", Secret.of("there already"));
        EtcdBackend started = backends.start(prefix, kek, 5);
        assertThat(value(started.get("svc", "alice"))).isEqualTo("there already");
    }

    /** With no member to load from, the first read fails after the first attempt, naming the endpoints. */
    @Test
    void withNoMemberTheFirstReadFailsNamingTheEndpoints() {
        EtcdBackend nowhere = new EtcdBackend("etcd", new EtcdBackend.Settings("http://127.0.0.1:9", "/nowhere",
                kek.toString(), "", "", "", "", "", 2), "", "", "", dir.resolve("state"));
        try {
            assertThatThrownBy(() -> nowhere.get("svc", "alice")).isInstanceOf(BackendException.class)
                    .hasMessageContaining("has not loaded its copy").hasMessageContaining("http://127.0.0.1:9");
        } finally {
            nowhere.deactivate();
        }
    }

    @Test
    void aConfigurationWithoutEndpointsOrWithTwoKeySourcesIsRefused() {
        assertThatThrownBy(() -> new EtcdBackend.Settings(" , ", "/coffer", "/k", "", "", "", "", "", 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoints");
        assertThatThrownBy(() -> new EtcdBackend.Settings("http://127.0.0.1:1", "/coffer", "/k", "svc", "user", "", "",
                "", 5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one place");
        assertThatThrownBy(() -> new EtcdBackend.Settings("http://127.0.0.1:1", "/", "/k", "", "", "", "", "", 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    }
}
