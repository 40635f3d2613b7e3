package org.coffer.backend.keyctl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract suite and the backend's own behaviour on the real kernel keyring, each
 * test in a keyring of its own, with the keyctl command line (Debian's keyutils) as
 * the peer in another process.
 */
class KeyctlBackendTest extends KeyringBackendContract {

    private static Keyctl keyctl;
    private int keyring;

    @BeforeAll
    static void needsTheKernelKeyring() {
        String why = KeyctlProbe.whyNot("user");
        Peers.require(why == null, "the Linux kernel keyring (" + why + ")");
        keyctl = LibKeyutils.load();
    }

    @Override
    protected KeyringBackend newBackend() {
        keyring = keyctl.addKeyring(Keyctl.USER, "coffer-test-" + System.nanoTime());
        return backend(0);
    }

    private KeyctlBackend backend(int timeout) {
        return new KeyctlBackend(keyctl, String.valueOf(keyring), timeout, "keyctl");
    }

    @Override
    protected KeyringBackend sameStore() {
        return backend(0);
    }

    @Override
    protected boolean holdsEmptySecrets() {
        return false;
    }

    @AfterEach
    void removeTheKeyring() {
        keyctl.invalidate(keyring);
    }

    private static Processes.Result keyctl(String... args) {
        Peers.require(new java.io.File("/usr/bin/keyctl").canExecute(), "keyctl (apt-get install keyutils)");
        return Peers.run(List.of(prepend("/usr/bin/keyctl", args)), Map.of(), null);
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void theKeyctlCommandLineReadsWhatCofferWrote() {
        backend.set("svc", "bob", Secret.of("from Coffer ✓"));
        Processes.Result found = keyctl("search", String.valueOf(keyring), "user", "coffer:svc:bob");
        assertThat(found.exit).as(found.stderr).isZero();
        Processes.Result print = keyctl("pipe", found.stdout.strip());
        assertThat(print.stdout).isEqualTo("from Coffer ✓");
    }

    @Test
    void cofferReadsWhatTheKeyctlCommandLineWrote() {
        Processes.Result added = keyctl("add", "user", "coffer:web%3Aprod:carol", "from keyctl", String.valueOf(keyring));
        assertThat(added.exit).as(added.stderr).isZero();
        assertThat(value(backend.get("web:prod", "carol"))).isEqualTo("from keyctl");
        assertThat(backend.entries()).contains(new KeyringEntry("web:prod", "carol"));
    }

    @Test
    void deletesEitherWay() {
        backend.set("svc", "dave", Secret.of("v"));
        assertThat(backend.delete("svc", "dave")).isTrue();
        assertThat(keyctl("search", String.valueOf(keyring), "user", "coffer:svc:dave").exit).isNotZero();
        backend.set("svc", "dave", Secret.of("v"));
        String key = keyctl("search", String.valueOf(keyring), "user", "coffer:svc:dave").stdout.strip();
        assertThat(keyctl("unlink", key, String.valueOf(keyring)).exit).isZero();
        assertThat(backend.get("svc", "dave")).isEmpty();
        assertThat(backend.delete("svc", "dave")).isFalse();
    }

    @Test
    void aKeyWithATimeoutExpires() throws Exception {
        backend(1).set("svc", "erin", Secret.of("brief"));
        assertThat(value(backend.get("svc", "erin"))).isEqualTo("brief");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (backend.get("svc", "erin").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(backend.get("svc", "erin")).isEmpty();
    }

    @Test
    void anEntryWrittenWithItsOwnExpiryExpiresWhileTheOthersStay() throws Exception {
        backend.set("svc", "kept", Secret.of("stays"));
        backend.setExpiring("coffer", "keyring-password", Secret.of("cached"), java.time.Duration.ofMillis(1500));
        assertThat(value(backend.get("coffer", "keyring-password"))).isEqualTo("cached");
        Processes.Result found = keyctl("search", String.valueOf(keyring), "user", "coffer:coffer:keyring-password");
        assertThat(found.exit).as("another process sees the cached entry: " + found.stderr).isZero();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (backend.get("coffer", "keyring-password").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(backend.get("coffer", "keyring-password")).isEmpty();
        assertThat(value(backend.get("svc", "kept"))).isEqualTo("stays");
        assertThatThrownBy(() -> backend.setExpiring("s", "u", Secret.of("x"), java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above zero");
    }

    @Test
    void describesEntriesWithColonsPercentsAndControlCharactersEncoded() {
        assertThat(KeyDescription.of("a:b%c", "d\ne")).isEqualTo("coffer:a%3Ab%25c:d%0Ae");
        assertThat(KeyDescription.parse("coffer:a%3Ab%25c:d%0Ae")).contains(new KeyringEntry("a:b%c", "d\ne"));
        assertThat(KeyDescription.parse("other:a:b")).isEmpty();
        assertThat(KeyDescription.parse("coffer:a:b:c")).isEmpty();
    }

    @Test
    void anUnusableKeyringIsAbsentWithItsReason() {
        assertThat(KeyctlProbe.whyNot(keyctl, "987654321")).contains("the keyring 987654321").contains("ENOKEY");
        assertThat(KeyctlProbe.whyNot(keyctl, "everywhere")).contains("neither persistent, user, session");
        assertThat(KeyctlProbe.whyNot(keyctl, "persistent")).isNull();
        KeyctlBackend gone = new KeyctlBackend(keyctl, "987654321", 0, "keyctl");
        assertThatThrownBy(() -> gone.get("s", "u")).isInstanceOf(BackendException.class)
                .hasMessageContaining("ENOKEY");
    }

    @Test
    void refusesSecretsTheKernelCannotHold() {
        assertThatThrownBy(() -> backend.set("svc", "big", Secret.of("x".repeat(40_000))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32767");
    }
}
