package org.coffer.backend.wincred.internal;

import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The contract suite on a live Windows Credential Manager: {@code mvn -pl
 * bundles/backend-wincred test -Dcoffer.live=windows} on Windows. It writes and deletes
 * credentials of the running user.
 */
@EnabledIfSystemProperty(named = "coffer.live", matches = "windows")
class WinCredLiveTest extends KeyringBackendContract {

    @Override
    protected KeyringBackend newBackend() {
        KeyringBackend backend = new WinCredBackend(Advapi32Credentials.load(), "wincred");
        for (org.coffer.KeyringEntry entry : backend.entries()) {
            if (entry.service().startsWith("svc") || entry.service().equals("example.com")
                    || entry.service().equals("one") || entry.service().equals("two") || entry.service().equals("race")
                    || entry.service().equals("shared") || entry.service().startsWith("Zürich")) {
                backend.delete(entry.service(), entry.username());
            }
        }
        return backend;
    }

    @Override
    protected KeyringBackend sameStore() {
        return new WinCredBackend(Advapi32Credentials.load(), "wincred");
    }
}
