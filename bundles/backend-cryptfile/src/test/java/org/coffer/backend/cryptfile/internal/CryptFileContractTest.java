package org.coffer.backend.cryptfile.internal;

import java.nio.file.Path;
import org.coffer.keyringfile.KeyringFileContract;
import org.coffer.spi.KeyringBackend;

/** Torn and truncated cryptfile keyrings. */
class CryptFileContractTest extends KeyringFileContract {

    @Override
    protected KeyringBackend backendOver(Path file) {
        return new CryptFileBackend(file, CryptFileBackendTest.PASSWORD, "", "");
    }
}
