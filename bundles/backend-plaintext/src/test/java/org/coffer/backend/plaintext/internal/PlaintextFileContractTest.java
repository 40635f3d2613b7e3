package org.coffer.backend.plaintext.internal;

import java.nio.file.Path;
import org.coffer.keyringfile.KeyringFileContract;
import org.coffer.spi.KeyringBackend;

/** Torn and truncated plaintext keyring files. */
class PlaintextFileContractTest extends KeyringFileContract {

    @Override
    protected KeyringBackend backendOver(Path file) {
        return new PlaintextBackend(file);
    }

    /** Base64 cut after one of its 76-character lines is still base64: only a cut inside a line shows. */
    @Override
    protected boolean seesCutsAtLineEnds() {
        return false;
    }
}
