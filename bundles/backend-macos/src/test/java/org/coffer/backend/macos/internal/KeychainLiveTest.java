package org.coffer.backend.macos.internal;

import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;

/**
 * The contract suite on the live login Keychain: {@code mvn -pl bundles/backend-macos
 * -am install -Dcoffer.live=macos} on macOS. It writes and deletes items of the user.
 */
class KeychainLiveTest extends KeyringBackendContract {

    @Override
    protected KeyringBackend newBackend() {
        return new KeychainBackend(SecurityFramework.load(), "macos");
    }

    @Override
    protected KeyringBackend sameStore() {
        return newBackend();
    }
}
