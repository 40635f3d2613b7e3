package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.backend.cryptfile.internal.CryptFileBackend;
import org.coffer.backend.plaintext.internal.PlaintextBackend;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.ProtectedEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** A locked backend and a key source get their own secrets from the entries they declare, read from other backends. */
class EntrySupplyTest {

    private static final KeyringEntry PASSWORD = new KeyringEntry("coffer", "keyring-password");

    @TempDir
    Path dir;

    private static KeyringProvider provider() {
        return KeyringProvider.alone(Converters.standardConverter().convert(Map.of()).to(ProviderConfig.class));
    }

    private static Map<String, Object> props(int ranking, long id) {
        return Map.of("service.ranking", ranking, "service.id", id);
    }

    private static Optional<String> reveal(Optional<Secret> secret) {
        return secret.map(Secret::reveal);
    }

    /** A cryptfile keyring holding db/app, written with the password {@code keyring pw}; then locked again. */
    private CryptFileBackend lockedCryptFile() {
        Path file = dir.resolve("cryptfile_pass.cfg");
        CryptFileBackend writer = new CryptFileBackend(file, Map.of(), "", "");
        writer.unlock(Secret.of("keyring pw"));
        writer.set("db", "app", Secret.of("db pw"));
        CryptFileBackend cryptfile = new CryptFileBackend(file, Map.of(), PASSWORD.service(), PASSWORD.username());
        assertThat(cryptfile.isLocked()).isTrue();
        return cryptfile;
    }

    @Test
    void aLockedCryptFileTakesItsPasswordFromTheEntryItDeclaresInAnotherBackend() {
        CryptFileBackend cryptfile = lockedCryptFile();
        PlaintextBackend plaintext = new PlaintextBackend(dir.resolve("keyring_pass.cfg"));
        plaintext.set(PASSWORD.service(), PASSWORD.username(), Secret.of("keyring pw"));
        KeyringProvider provider = provider();
        provider.addBackend(plaintext, props(50, 1L));
        provider.addBackend(cryptfile, props(250, 2L));
        assertThat(cryptfile.isLocked()).as("supplied when it joined the chain").isFalse();

        provider.admin().lock("cryptfile");
        assertThat(reveal(provider.keyrings().get("db", "app"))).as("supplied again at the read").contains("db pw");
        assertThat(cryptfile.isLocked()).isFalse();
    }

    @Test
    void aWrongPasswordInTheEntryIsTheLockedBackendsFailureAndTheReadSaysSo() {
        CryptFileBackend cryptfile = lockedCryptFile();
        PlaintextBackend plaintext = new PlaintextBackend(dir.resolve("keyring_pass.cfg"));
        plaintext.set(PASSWORD.service(), PASSWORD.username(), Secret.of("not the password"));
        KeyringProvider provider = provider();
        provider.addBackend(cryptfile, props(250, 1L));
        provider.addBackend(plaintext, props(50, 2L));
        assertThatThrownBy(() -> provider.keyrings().get("db", "app")).isInstanceOf(BackendException.class)
                .hasMessageContaining("cryptfile").hasMessageContaining("Incorrect password")
                .hasMessageNotContaining("not the password");
        assertThat(cryptfile.isLocked()).isTrue();
    }

    @Test
    void anEntryThatCannotBeReadNowLeavesTheBackendLockedSoThatItsPasswordIsAskedFor() {
        CryptFileBackend cryptfile = lockedCryptFile();
        // as the kernel keyring answers for a cached password whose key expired a moment ago
        KeyringBackend expired = BackendChainTest.named("cache", dir.resolve("keyring_pass.cfg"),
                entry -> PASSWORD.equals(entry) ? "The cache backend's key for 'keyring-password' in 'coffer' has"
                        + " expired (EKEYEXPIRED)" : null);
        KeyringProvider provider = provider();
        provider.addBackend(cryptfile, props(250, 1L));
        provider.addBackend(expired, props(50, 2L));
        assertThatThrownBy(() -> provider.keyrings().get("db", "app")).isInstanceOf(KeyringLockedException.class);
        assertThat(cryptfile.isLocked()).isTrue();
    }

    @Test
    void aBackendIsNeverAskedForTheEntryItDeclaresEvenWhenItHoldsOne() {
        Declaring declaring = new Declaring(new PlaintextBackend(dir.resolve("own.cfg")));
        declaring.store.set(PASSWORD.service(), PASSWORD.username(), Secret.of("its own copy"));
        KeyringProvider provider = provider();
        provider.addBackend(declaring, props(250, 1L));
        assertThatThrownBy(() -> provider.keyrings().get("svc", "alice")).isInstanceOf(KeyringLockedException.class);
        assertThat(declaring.supplied).isEmpty();

        PlaintextBackend other = new PlaintextBackend(dir.resolve("other.cfg"));
        other.set(PASSWORD.service(), PASSWORD.username(), Secret.of("the other backend's"));
        provider.addBackend(other, props(50, 2L));
        assertThat(provider.keyrings().get("svc", "alice")).isEmpty();
        assertThat(declaring.supplied).containsExactly("the other backend's");
        assertThat(declaring.asked).containsOnly("svc/alice");
    }

    @Test
    void aKeySourceGetsItsEntryWhenItIsWrittenAndOnlyWhileItAwaitsIt() {
        KeyringProvider provider = provider();
        KeySource master = new KeySource(new KeyringEntry("coffer", "master-password"));
        provider.addKeySource(master);
        assertThat(master.supplied).isEmpty();
        provider.addBackend(new PlaintextBackend(dir.resolve("keyring_pass.cfg")), props(50, 1L));
        assertThat(master.supplied).isEmpty();
        provider.keyrings().set("coffer", "master-password", Secret.of("m1"));
        assertThat(master.supplied).containsExactly("m1");
        provider.keyrings().set("coffer", "master-password", Secret.of("m2"));
        assertThat(master.supplied).as("a new value is handed over too").containsExactly("m1", "m2");
        provider.addBackend(new PlaintextBackend(dir.resolve("other.cfg"), "other"), props(40, 2L));
        assertThat(master.supplied).as("no longer awaited: not read again").containsExactly("m1", "m2");
    }

    /** A backend that declares the password entry and holds a copy itself; locked until it is supplied. */
    private static final class Declaring implements KeyringBackend {
        final PlaintextBackend store;
        final List<String> asked = new ArrayList<>();
        final List<String> supplied = new ArrayList<>();

        Declaring(PlaintextBackend store) {
            this.store = store;
        }

        @Override
        public String name() {
            return "declaring";
        }

        @Override
        public Set<KeyringEntry> protectedEntries() {
            return Set.of(PASSWORD);
        }

        @Override
        public boolean awaitsEntries() {
            return supplied.isEmpty();
        }

        @Override
        public void supply(KeyringEntry entry, Secret value) {
            supplied.add(value.reveal());
        }

        @Override
        public Optional<Secret> get(String service, String username) {
            asked.add(service + "/" + username);
            if (supplied.isEmpty()) {
                throw new KeyringLockedException("declaring is locked");
            }
            return store.get(service, username);
        }

        @Override
        public void set(String service, String username, Secret secret) {
            store.set(service, username, secret);
        }

        @Override
        public boolean delete(String service, String username) {
            return store.delete(service, username);
        }
    }

    /** A key source that is no backend, as the master key is, taking its entry once. */
    private static final class KeySource implements ProtectedEntries {
        final KeyringEntry entry;
        final List<String> supplied = new ArrayList<>();

        KeySource(KeyringEntry entry) {
            this.entry = entry;
        }

        @Override
        public Set<KeyringEntry> protectedEntries() {
            return Set.of(entry);
        }

        @Override
        public boolean awaitsEntries() {
            return supplied.isEmpty();
        }

        @Override
        public void supply(KeyringEntry declared, Secret value) {
            supplied.add(value.reveal());
        }
    }
}
