package org.coffer.backend.encryptedfile.internal;

import java.nio.file.Path;
import org.coffer.keyringfile.KeyringFileContract;
import org.coffer.spi.KeyringBackend;

/** Torn and truncated keyrings.alt EncryptedKeyring files. */
class EncryptedFileContractTest extends KeyringFileContract {

    @Override
    protected KeyringBackend backendOver(Path file) {
        return new EncryptedFileBackend(file, EncryptedFileBackendTest.PASSWORD, "", "");
    }
}
