package org.coffer.backend.macos.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.coffer.BackendException;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.Test;

/** The contract suite on Python keyring's macOS layout over the Keychain's behaviour, and what Python does. */
class KeychainBackendTest extends KeyringBackendContract {

    private MemoryKeychain keychain;

    @Override
    protected KeyringBackend newBackend() {
        keychain = new MemoryKeychain();
        return new KeychainBackend(keychain, "macos");
    }

    @Override
    protected KeyringBackend sameStore() {
        return new KeychainBackend(keychain, "macos");
    }

    @Test
    void storesUtf8DataUnderServiceAndAccountReplacingTheItem() {
        backend.set("svc", "alice", Secret.of("pä🔑"));
        backend.set("svc", "alice", Secret.of("pä🔑 2"));
        assertThat(keychain.raw("svc", "alice")).isEqualTo("pä🔑 2".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesDataThatIsNotUtf8() {
        keychain.add("svc", "bob", new byte[] {(byte) 0xff});
        assertThatThrownBy(() -> backend.get("svc", "bob")).isInstanceOf(BackendException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void isAbsentOutsideMacOsWithItsReason() {
        assertThat(KeychainProbe.whyNot("Linux")).contains("macOS only").contains("Linux");
    }
}
