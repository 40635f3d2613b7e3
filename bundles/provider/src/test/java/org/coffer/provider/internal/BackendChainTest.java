package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.BackendInfo;
import org.coffer.KeyringEntry;
import org.coffer.NoKeyringException;
import org.coffer.Secret;
import org.coffer.backend.plaintext.internal.PlaintextBackend;
import org.coffer.spi.KeyringBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain over real plaintext backends, each on its own file. */
class BackendChainTest {

    @TempDir
    Path dir;

    private BackendChain chain;
    private KeyringBackend high;
    private KeyringBackend low;

    /** A plaintext backend under another name, as a second installed backend would be. */
    static KeyringBackend named(String name, Path file) {
        return named(name, file, entry -> null);
    }

    /**
     * @param failure the failure a read of an entry meets, as a backend that cannot answer for it now
     *        would say; {@code null} for none
     */
    static KeyringBackend named(String name, Path file, java.util.function.Function<KeyringEntry, String> failure) {
        PlaintextBackend plaintext = new PlaintextBackend(file);
        return new KeyringBackend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public java.util.Optional<Secret> get(String service, String username) {
                String failing = failure.apply(new KeyringEntry(service, username));
                if (failing != null) {
                    throw new BackendException(failing);
                }
                return plaintext.get(service, username);
            }

            @Override
            public void set(String service, String username, Secret secret) {
                plaintext.set(service, username, secret);
            }

            @Override
            public boolean delete(String service, String username) {
                return plaintext.delete(service, username);
            }

            @Override
            public boolean canEnumerate() {
                return true;
            }

            @Override
            public java.util.List<KeyringEntry> entries() {
                return plaintext.entries();
            }
        };
    }

    static Map<String, Object> props(int ranking, long id) {
        return Map.of("service.ranking", ranking, "service.id", id);
    }

    @BeforeEach
    void setUp() {
        chain = new BackendChain();
        high = named("high", dir.resolve("high.cfg"));
        low = named("low", dir.resolve("low.cfg"));
        chain.add(low, props(50, 1L));
        chain.add(high, props(250, 2L));
    }

    @Test
    void ordersByRankingThenServiceId() {
        KeyringBackend tie = named("tie", dir.resolve("tie.cfg"));
        chain.add(tie, props(250, 3L));
        assertThat(chain.infos()).extracting(BackendInfo::name).containsExactly("high", "tie", "low");
        chain.add(tie, props(300, 3L));
        assertThat(chain.infos()).extracting(BackendInfo::name).containsExactly("tie", "high", "low");
        assertThat(chain.infos()).filteredOn(BackendInfo::active).extracting(BackendInfo::name).containsExactly("tie");
    }

    @Test
    void readsARankingGivenAsTextAsKarafsFileInstallDeliversIt() {
        KeyringBackend text = named("text", dir.resolve("text.cfg"));
        chain.add(text, Map.of("service.ranking", " 300", "service.id", 3L));
        assertThat(chain.infos()).extracting(BackendInfo::name).containsExactly("text", "high", "low");
        assertThat(chain.infos()).extracting(BackendInfo::ranking).containsExactly(300, 250, 50);
        chain.add(text, Map.of("service.ranking", "not a number", "service.id", 3L));
        assertThat(chain.infos()).extracting(BackendInfo::name).containsExactly("high", "low", "text");
    }

    @Test
    void readsTheFirstAnswerAndWritesToTheTop() {
        low.set("svc", "alice", Secret.of("from-low"));
        assertThat(chain.get("svc", "alice").map(Secret::reveal)).contains("from-low");
        chain.set("svc", "alice", Secret.of("from-high"));
        assertThat(high.get("svc", "alice").map(Secret::reveal)).contains("from-high");
        assertThat(chain.get("svc", "alice").map(Secret::reveal)).contains("from-high");
        assertThat(chain.delete("svc", "alice")).isTrue();
        assertThat(chain.get("svc", "alice").map(Secret::reveal)).contains("from-low");
    }

    @Test
    void passesOverABackendThatFailsAndKeepsItsFailureForTheDiagnosis() throws Exception {
        low.set("svc", "alice", Secret.of("from-low"));
        Files.writeString(dir.resolve("high.cfg"), "garbage without section\n");
        assertThat(chain.get("svc", "alice").map(Secret::reveal)).contains("from-low");
        assertThat(chain.failures().snapshot()).containsOnlyKeys("high");
        assertThat(chain.failures().snapshot().get("high")).contains(dir.resolve("high.cfg").toString(), "line 1");
        Files.writeString(dir.resolve("high.cfg"), "[svc]\n");
        assertThat(chain.get("svc", "alice").map(Secret::reveal)).contains("from-low");
        assertThat(chain.failures().snapshot()).isEmpty();
    }

    @Test
    void saysNotFoundOnlyWhenEveryBackendAnsweredCleanly() throws Exception {
        assertThat(chain.get("svc", "alice")).isEmpty();
        Files.writeString(dir.resolve("low.cfg"), "garbage\n");
        assertThatThrownBy(() -> chain.get("svc", "alice")).isInstanceOf(BackendException.class)
                .hasMessageContaining("may exist").hasMessageContaining("low:")
                .hasMessageContaining(dir.resolve("low.cfg").toString()).hasMessageContaining("line 1")
                .hasMessageNotContaining("high");
        Files.writeString(dir.resolve("high.cfg"), "garbage\n");
        assertThatThrownBy(() -> chain.get("svc", "alice")).isInstanceOf(BackendException.class)
                .hasMessageContaining("high:").hasMessageContaining("low:").hasMessageContaining("line 1");
    }

    @Test
    void pinsWritesToANamedBackend() {
        chain.pin("low");
        chain.set("svc", "bob", Secret.of("pinned"));
        assertThat(low.get("svc", "bob")).isPresent();
        assertThat(high.get("svc", "bob")).isEmpty();
        assertThat(chain.infos()).filteredOn(BackendInfo::active).extracting(BackendInfo::name).containsExactly("low");
        chain.remove(low);
        assertThatThrownBy(() -> chain.set("svc", "bob", Secret.of("x"))).isInstanceOf(BackendException.class)
                .hasMessageContaining("'low' is not available").hasMessageContaining("keyring:use --auto");
        chain.pin(null);
        chain.set("svc", "bob", Secret.of("auto"));
        assertThat(high.get("svc", "bob")).isPresent();
    }

    @Test
    void saysWhatToInstallWhenThereIsNoBackend() {
        chain.remove(high);
        chain.remove(low);
        assertThatThrownBy(() -> chain.get("s", "u")).isInstanceOf(NoKeyringException.class)
                .hasMessageContaining("Install a backend bundle");
        assertThatThrownBy(() -> chain.set("s", "u", Secret.of("x"))).isInstanceOf(NoKeyringException.class);
        assertThat(chain.infos()).isEmpty();
    }
}
