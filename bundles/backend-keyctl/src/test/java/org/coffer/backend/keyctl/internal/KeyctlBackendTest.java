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
        try {
            keyctl.invalidate(keyring);
        } catch (KeyctlException revokedOrExpiredByTheTest) {
            // the kernel drops it by itself
        }
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

    /** Waits until the entry no longer reads, as the kernel's clock decides; then reads it once more. */
    private Throwable awaitTheEnd(KeyringBackend b, String service, String username) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                b.get(service, username);
            } catch (BackendException ended) {
                return ended;
            }
            Thread.sleep(100);
        }
        return org.assertj.core.api.Assertions.catchThrowable(() -> b.get(service, username));
    }

    @Test
    void aKeyWithATimeoutExpiresAndSaysSoAsKeyctlDoes() throws Exception {
        backend(1).set("svc", "erin", Secret.of("brief"));
        assertThat(value(backend.get("svc", "erin"))).isEqualTo("brief");
        assertThat(awaitTheEnd(backend, "svc", "erin")).isInstanceOf(BackendException.class)
                .hasMessageContaining("key for 'erin' in 'svc' (coffer:svc:erin in the keyring " + keyring + ")")
                .hasMessageContaining("has expired (EKEYEXPIRED)").hasMessageNotContaining("brief");
        Processes.Result search = keyctl("search", String.valueOf(keyring), "user", "coffer:svc:erin");
        assertThat(search.stderr).contains("Key has expired");
    }

    @Test
    void anEntryWrittenWithItsOwnExpiryExpiresWhileTheOthersStay() throws Exception {
        backend.set("svc", "kept", Secret.of("stays"));
        backend.setExpiring("coffer", "keyring-password", Secret.of("cached"), java.time.Duration.ofMillis(1500));
        assertThat(value(backend.get("coffer", "keyring-password"))).isEqualTo("cached");
        Processes.Result found = keyctl("search", String.valueOf(keyring), "user", "coffer:coffer:keyring-password");
        assertThat(found.exit).as("another process sees the cached entry: " + found.stderr).isZero();
        assertThat(awaitTheEnd(backend, "coffer", "keyring-password")).hasMessageContaining("has expired");
        assertThat(value(backend.get("svc", "kept"))).isEqualTo("stays");
        assertThatThrownBy(() -> backend.setExpiring("s", "u", Secret.of("x"), java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above zero");
    }

    @Test
    void aKeyThatKeyctlTimedOutOrRevokedIsNamedAsSuchNeverNotFound() throws Exception {
        backend.set("svc", "frank", Secret.of("v1"));
        backend.set("svc", "gina", Secret.of("v2"));
        String frank = keyctl("search", String.valueOf(keyring), "user", "coffer:svc:frank").stdout.strip();
        String gina = keyctl("search", String.valueOf(keyring), "user", "coffer:svc:gina").stdout.strip();
        assertThat(keyctl("timeout", frank, "1").exit).isZero();
        assertThat(keyctl("revoke", gina).exit).isZero();
        assertThat(awaitTheEnd(backend, "svc", "frank")).hasMessageContaining("'frank' in 'svc'")
                .hasMessageContaining("has expired (EKEYEXPIRED)");
        assertThatThrownBy(() -> backend.get("svc", "gina")).isInstanceOf(BackendException.class)
                .hasMessageContaining("key for 'gina' in 'svc'").hasMessageContaining("was revoked (EKEYREVOKED)")
                .hasMessageContaining("Store it again");
        assertThat(backend.delete("svc", "gina")).isFalse();
        backend.set("svc", "gina", Secret.of("again"));
        assertThat(value(backend.get("svc", "gina"))).isEqualTo("again");
    }

    @Test
    void aRevokedKeyringIsNamedOnceAsRevokedAndLeavesTheBackendAbsentAsConfigured() {
        backend.set("svc", "hal", Secret.of("v"));
        assertThat(keyctl("revoke", String.valueOf(keyring)).exit).isZero();
        Throwable read = org.assertj.core.api.Assertions.catchThrowable(() -> backend.get("svc", "hal"));
        assertThat(read).isInstanceOf(BackendException.class)
                .hasMessage("The keyctl backend cannot reach its keyring: the keyring " + keyring + " was revoked"
                        + " (EKEYREVOKED). " + KeyctlProbe.ADVICE);
        assertThatThrownBy(() -> backend.set("svc", "hal", Secret.of("w"))).hasMessage(read.getMessage());
        KeyctlProbe.Verdict verdict = KeyctlProbe.verdict(keyctl, String.valueOf(keyring));
        assertThat(verdict.configured()).isTrue();
        assertThat(verdict.why()).isEqualTo("The configured keyring cannot be reached: the keyring " + keyring
                + " was revoked (EKEYREVOKED). " + KeyctlProbe.ADVICE);
    }

    @Test
    void anExpiredKeyringIsNamedAsExpired() throws Exception {
        assertThat(keyctl("timeout", String.valueOf(keyring), "1").exit).isZero();
        assertThat(awaitTheEnd(backend, "svc", "ivy")).hasMessage("The keyctl backend cannot reach its keyring: the"
                + " keyring " + keyring + " has expired (EKEYEXPIRED). " + KeyctlProbe.ADVICE);
        assertThat(KeyctlProbe.verdict(keyctl, String.valueOf(keyring)).why()).contains("has expired (EKEYEXPIRED)");
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
        assertThat(KeyctlProbe.verdict(keyctl, "987654321")).isEqualTo(new KeyctlProbe.Verdict("The configured"
                + " keyring cannot be reached: the keyring 987654321 does not exist (ENOKEY). " + KeyctlProbe.ADVICE,
                true));
        assertThat(KeyctlProbe.verdict(keyctl, "everywhere").why()).contains("neither persistent, user, session");
        assertThat(KeyctlProbe.verdict(keyctl, "everywhere").configured()).isTrue();
        assertThat(KeyctlProbe.whyNot(keyctl, "persistent")).isNull();
        KeyctlBackend gone = new KeyctlBackend(keyctl, "987654321", 0, "keyctl");
        assertThatThrownBy(() -> gone.get("s", "u")).isInstanceOf(BackendException.class)
                .hasMessage("The keyctl backend cannot reach its keyring: the keyring 987654321 does not exist"
                        + " (ENOKEY). " + KeyctlProbe.ADVICE);
    }

    @Test
    void refusesSecretsTheKernelCannotHold() {
        assertThatThrownBy(() -> backend.set("svc", "big", Secret.of("x".repeat(40_000))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32767");
    }
}
