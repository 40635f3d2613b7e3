package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyringProviderTest {

    @Test
    void reportsTheRootCauseOfAFailedActivation() {
        String constructorFailure = "java.lang.reflect.InvocationTargetException\n"
                + "\tat java.base/jdk.internal.reflect.NativeConstructorAccessorImpl.newInstance0(Native Method)\n"
                + "Caused by: org.coffer.BackendException: No Secret Service on the D-Bus session bus: nothing owns it\n"
                + "\tat org.coffer.backend.secretservice.internal.SecretServiceBackend.<init>(SecretServiceBackend.java:72)\n";
        assertThat(InstalledBackends.firstLine(constructorFailure))
                .isEqualTo("No Secret Service on the D-Bus session bus: nothing owns it");
        assertThat(InstalledBackends.firstLine("org.coffer.BackendException: The file is missing\n\tat x.y(Z.java:1)"))
                .isEqualTo("The file is missing");
    }
}
