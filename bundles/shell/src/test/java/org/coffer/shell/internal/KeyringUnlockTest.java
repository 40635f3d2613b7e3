package org.coffer.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coffer.AuditEvent;
import org.coffer.BackendException;
import org.coffer.BackendInfo;
import org.coffer.Diagnosis;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.shell.internal.Commands.Failure;
import org.junit.jupiter.api.Test;

/** {@code keyring:unlock --cache} over an administration that records its calls. */
class KeyringUnlockTest {

    /** Backends as the provider would report them, a right password, and what was done. */
    private static final class Keyrings implements KeyringAdmin {
        final List<BackendInfo> viable = new ArrayList<>();
        final List<BackendInfo> absent = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        Keyrings locked(String name, KeyringEntry passwordEntry) {
            viable.add(new BackendInfo(name, name, 250, false, true, true, null, true).withPasswordEntry(passwordEntry));
            return this;
        }

        Keyrings kernelKeyring() {
            viable.add(new BackendInfo("keyctl", "kernel", 150, false, true, false, null));
            return this;
        }

        @Override
        public String repair(String backend) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<BackendInfo> backends() {
            return viable;
        }

        @Override
        public List<BackendInfo> allBackends() {
            List<BackendInfo> all = new ArrayList<>(viable);
            all.addAll(absent);
            return all;
        }

        @Override
        public BackendInfo activeBackend() {
            return viable.get(0);
        }

        @Override
        public void use(String name) {
        }

        @Override
        public void useAutomatic() {
        }

        @Override
        public void unlock(String backend, Secret password) {
            if (!password.reveal().equals("right")) {
                throw new BackendException("Wrong password for " + backend);
            }
            calls.add("unlock " + backend);
        }

        @Override
        public void setExpiring(String backend, String service, String username, Secret secret, Duration lifetime) {
            calls.add("set " + backend + " " + service + "/" + username + "=" + secret.reveal() + " for "
                    + lifetime.getSeconds() + " s");
        }

        @Override
        public List<KeyringEntry> migrate(String from, String to, boolean deleteSource) {
            return List.of();
        }

        @Override
        public List<KeyringEntry> migrate(String from, String to, boolean deleteSource, Progress progress) {
            return List.of();
        }

        @Override
        public Optional<String> pinned() {
            return Optional.empty();
        }

        @Override
        public List<KeyringEntry> entries(String backend) {
            return List.of();
        }

        @Override
        public void set(String backend, String service, String username, Secret secret) {
            calls.add("set " + backend + " " + service + "/" + username + "=" + secret.reveal());
        }

        @Override
        public boolean delete(String backend, String service, String username) {
            calls.add("delete " + backend + " " + service + "/" + username);
            return false;
        }

        @Override
        public void lock(String backend) {
            calls.add("lock " + backend);
        }

        @Override
        public List<Diagnosis> diagnose() {
            return List.of();
        }

        @Override
        public List<AuditEvent> audit(long after) {
            return List.of();
        }
    }

    private static final KeyringEntry ENTRY = new KeyringEntry("coffer", "keyring-password");

    private static void unlock(Keyrings keyrings, String password, Duration cache) throws Exception {
        new KeyringUnlock(keyrings).unlock(null, List.of(), password.toCharArray(), cache);
    }

    @Test
    void cachesTheTypedPasswordInTheKernelKeyringUnderTheEntryTheFilesReadItFrom() throws Exception {
        Keyrings keyrings = new Keyrings().locked("cryptfile", ENTRY).locked("encryptedfile", ENTRY).kernelKeyring();
        unlock(keyrings, "right", Duration.ofMinutes(15));
        assertThat(keyrings.calls).containsExactly("unlock cryptfile", "unlock encryptedfile",
                "set keyctl coffer/keyring-password=right for 900 s");
    }

    @Test
    void withoutTheKernelKeyringItUnlocksAndSaysWhyNothingWasCached() {
        Keyrings keyrings = new Keyrings().locked("cryptfile", ENTRY);
        keyrings.absent.add(new BackendInfo("keyctl", "kernel", 150, false, false, false,
                "keyctl calls refused: EPERM (a container's seccomp profile?)"));
        assertThatThrownBy(() -> unlock(keyrings, "right", Duration.ofMinutes(15))).isInstanceOf(Failure.class)
                .hasMessageContaining("the password was not cached")
                .hasMessageContaining("'keyctl' is not available: keyctl calls refused: EPERM");
        assertThat(keyrings.calls).containsExactly("unlock cryptfile");
        Keyrings none = new Keyrings().locked("cryptfile", ENTRY);
        assertThatThrownBy(() -> unlock(none, "right", Duration.ofMinutes(15)))
                .hasMessageContaining("'keyctl' is not installed");
        assertThat(none.calls).containsExactly("unlock cryptfile");
    }

    @Test
    void aFileThatReadsItsPasswordFromNoEntrySaysWhatToConfigure() {
        Keyrings keyrings = new Keyrings().locked("cryptfile", null).kernelKeyring();
        assertThatThrownBy(() -> unlock(keyrings, "right", Duration.ofSeconds(30))).isInstanceOf(Failure.class)
                .hasMessageContaining("'cryptfile' reads its password from no entry")
                .hasMessageContaining("etc/org.coffer.backend.cryptfile.cfg: password.service = coffer,"
                        + " password.username = keyring-password")
                .hasMessageContaining("keyring:unlock --cache 30s");
        assertThat(keyrings.calls).containsExactly("unlock cryptfile");
    }

    @Test
    void aWrongPasswordIsNotCachedAndNothingLockedHasNothingToCache() {
        Keyrings keyrings = new Keyrings().locked("cryptfile", ENTRY).kernelKeyring();
        assertThatThrownBy(() -> unlock(keyrings, "wrong", Duration.ofMinutes(15)))
                .hasMessageContaining("Wrong password for cryptfile");
        assertThat(keyrings.calls).isEmpty();
        Keyrings unlocked = new Keyrings().kernelKeyring();
        assertThatThrownBy(() -> unlock(unlocked, "right", Duration.ofMinutes(15)))
                .hasMessageContaining("no keyring file was locked");
        assertThat(unlocked.calls).isEmpty();
    }

    /** A service unlocks only for the keyring in use: the pinned one, or the highest with a file on disk. */
    @Test
    void aServiceNeedsThePasswordOnlyForTheKeyringInUse() {
        Keyrings keyrings = new Keyrings();
        BackendInfo cryptfile = new BackendInfo("cryptfile", "c", 250, true, true, true, null, true);
        BackendInfo plaintext = new BackendInfo("plaintext", "p", 50, false, true, false, null, false);
        KeyringFiles unlock = new KeyringFiles(keyrings, new KeyringUnlock(keyrings));
        // no file yet: the keyring in use is new, its password is asked when a secret is set
        keyrings.viable.addAll(List.of(cryptfile.withFirstPassword(true), plaintext));
        assertThat(unlock.needed()).isFalse();
        // a file on disk: needed
        keyrings.viable.set(0, cryptfile);
        assertThat(unlock.needed()).isTrue();
        // plaintext pinned, though cryptfile has a file: not needed
        keyrings.viable.set(0, new BackendInfo("cryptfile", "c", 250, false, true, true, null, true));
        keyrings.viable.set(1, new BackendInfo("plaintext", "p", 50, true, true, false, null, false));
        assertThat(unlock.needed()).isFalse();
        // the idle agent locks the keyring files only, never the desktop's collection
        keyrings.viable.set(0, new BackendInfo("cryptfile", "c", 250, true, true, false, null, true));
        keyrings.viable.add(new BackendInfo("secretservice", "s", 300, false, true, false, null, false));
        unlock.lock(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), List.of(), true);
        assertThat(keyrings.calls).containsExactly("lock cryptfile");
    }
}
