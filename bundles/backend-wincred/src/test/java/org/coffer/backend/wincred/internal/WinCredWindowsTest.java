package org.coffer.backend.wincred.internal;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The wincred suite on the Win32 API ({@code CredReadW} and the rest, through JNA), in a
 * Windows JVM. {@code mvn verify} runs it under Wine on Linux (the {@code wine}
 * execution of this module's pom); on a Windows machine, {@code mvn -pl
 * bundles/backend-wincred test -Dcoffer.live=windows} runs it against the user's own
 * Credential Manager, writing and deleting credentials of the test's services only.
 */
@EnabledOnOs(OS.WINDOWS)
class WinCredWindowsTest extends WinCredContract {

    @Override
    protected CredentialStore openStore() {
        return Advapi32Credentials.load();
    }
}
