package org.coffer.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.coffer.Credential;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every keyring backend shares. A backend's test extends this class and
 * supplies a fresh backend over an empty store.
 */
public abstract class KeyringBackendContract {

    protected KeyringBackend backend;

    /** @return a backend over a new, empty store */
    protected abstract KeyringBackend newBackend() throws Exception;

    /**
     * @return a second backend instance over the same store as {@link #backend}, as
     *         another process would see it
     */
    protected abstract KeyringBackend sameStore() throws Exception;

    @BeforeEach
    void createBackend() throws Exception {
        backend = newBackend();
    }

    /** @return whether the store holds an empty secret; one that cannot must refuse it as wrong usage */
    protected boolean holdsEmptySecrets() {
        return true;
    }

    /** @return the most characters of ASCII the store holds in one secret, where that is under 4,000 */
    protected int longestSecret() {
        return Integer.MAX_VALUE;
    }

    /**
     * Waits until another instance of the store sees what was written through this one,
     * for stores whose instances learn of writes asynchronously (a replicated copy kept
     * current by a watch); others see them at once, so the default returns at once.
     *
     * @param reader the instance that must see the writes
     */
    protected void awaitWritesSeenBy(KeyringBackend reader) throws Exception {
        // seen at once
    }

    protected static String value(Optional<Secret> secret) {
        return secret.map(Secret::reveal).orElse(null);
    }

    @Test
    void returnsNothingForAnUnknownEntry() {
        assertThat(backend.get("no-such-service", "nobody")).isEmpty();
    }

    @Test
    void storesAndReturnsASecret() {
        backend.set("example.com", "alice", Secret.of("s3cr3t"));
        assertThat(value(backend.get("example.com", "alice"))).isEqualTo("s3cr3t");
    }

    @Test
    void overwritesAnEarlierSecret() {
        backend.set("example.com", "alice", Secret.of("first"));
        backend.set("example.com", "alice", Secret.of("second"));
        assertThat(value(backend.get("example.com", "alice"))).isEqualTo("second");
    }

    @Test
    void keepsUsersAndServicesApart() {
        backend.set("one", "alice", Secret.of("a1"));
        backend.set("one", "bob", Secret.of("b1"));
        backend.set("two", "alice", Secret.of("a2"));
        assertThat(value(backend.get("one", "alice"))).isEqualTo("a1");
        assertThat(value(backend.get("one", "bob"))).isEqualTo("b1");
        assertThat(value(backend.get("two", "alice"))).isEqualTo("a2");
    }

    @Test
    void deletesAPresentSecretAndReportsAnAbsentOne() {
        backend.set("example.com", "alice", Secret.of("gone soon"));
        backend.set("example.com", "bob", Secret.of("stays"));
        assertThat(backend.delete("example.com", "alice")).isTrue();
        assertThat(backend.get("example.com", "alice")).isEmpty();
        assertThat(value(backend.get("example.com", "bob"))).isEqualTo("stays");
        assertThat(backend.delete("example.com", "alice")).isFalse();
        assertThat(backend.delete("never-there", "alice")).isFalse();
    }

    @Test
    void handlesUnicodeSpacesAndPunctuationEverywhere() {
        String service = "Zürich service: [prod] #1; a=b";
        String user = "jörg o'neil@example.com";
        String secret = "pässwörd 🔑 \"quoted\" \\ back\tslash = ; # ]";
        backend.set(service, user, Secret.of(secret));
        assertThat(value(backend.get(service, user))).isEqualTo(secret);
        assertThat(value(sameStoreGet(service, user))).isEqualTo(secret);
    }

    @Test
    void storesEmptyAndLongSecrets() {
        StringBuilder longValue = new StringBuilder();
        for (int i = 0; i < Math.min(4000, longestSecret()); i++) {
            longValue.append((char) ('a' + i % 26));
        }
        if (holdsEmptySecrets()) {
            backend.set("svc", "empty", Secret.of(""));
            assertThat(value(backend.get("svc", "empty"))).isEqualTo("");
        } else {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.set("svc", "empty", Secret.of("")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(backend.get("svc", "empty")).isEmpty();
        }
        backend.set("svc", "long", Secret.of(longValue.toString()));
        assertThat(value(backend.get("svc", "long"))).isEqualTo(longValue.toString());
    }

    @Test
    void isSeenByAnotherInstanceOfTheSameStore() throws Exception {
        backend.set("shared", "alice", Secret.of("visible"));
        KeyringBackend other = sameStore();
        assertThat(value(other.get("shared", "alice"))).isEqualTo("visible");
        other.set("shared", "alice", Secret.of("changed"));
        awaitWritesSeenBy(backend);
        assertThat(value(backend.get("shared", "alice"))).isEqualTo("changed");
    }

    @Test
    void returnsACredentialWithItsUsername() {
        backend.set("svc", "alice", Secret.of("pw"));
        Optional<Credential> credential = backend.getCredential("svc", "alice");
        assertThat(credential).isPresent();
        assertThat(credential.get().username()).isEqualTo("alice");
        assertThat(credential.get().secret().reveal()).isEqualTo("pw");
        if (backend.canEnumerate()) {
            assertThat(backend.getCredential("svc", null)).isPresent();
        }
    }

    @Test
    void listsItsEntriesWhenItCanEnumerate() {
        if (!backend.canEnumerate()) {
            return;
        }
        backend.set("svc one", "alice", Secret.of("1"));
        backend.set("svc two", "bob", Secret.of("2"));
        assertThat(backend.entries()).contains(new KeyringEntry("svc one", "alice"),
                new KeyringEntry("svc two", "bob"));
    }

    @Test
    void losesNothingWhenWritersRaceOnTheSameStore() throws Exception {
        KeyringBackend other = sameStore();
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                KeyringBackend target = w % 2 == 0 ? backend : other;
                String user = "writer" + w;
                Callable<Void> job = () -> {
                    for (int i = 0; i < perWriter; i++) {
                        target.set("race", user + "-" + i, Secret.of("value-" + i));
                    }
                    return null;
                };
                results.add(pool.submit(job));
            }
            for (Future<Void> result : results) {
                result.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        awaitWritesSeenBy(backend);
        for (int w = 0; w < 4; w++) {
            for (int i = 0; i < perWriter; i++) {
                assertThat(value(backend.get("race", "writer" + w + "-" + i)))
                        .as("writer %d entry %d", w, i).isEqualTo("value-" + i);
            }
        }
    }

    @Test
    void hasADiagnosisNamedAfterItself() {
        assertThat(backend.diagnose().subject()).isEqualTo(backend.name());
    }

    private Optional<Secret> sameStoreGet(String service, String user) {
        try {
            return sameStore().get(service, user);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
