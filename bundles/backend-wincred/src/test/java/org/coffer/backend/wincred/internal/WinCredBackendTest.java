package org.coffer.backend.wincred.internal;

/** The wincred suite on the stand-in with the Credential Manager's rules, on every platform. */
class WinCredBackendTest extends WinCredContract {

    @Override
    protected CredentialStore openStore() {
        return new MemoryCredentialStore();
    }
}
