package org.coffer.backend.wincred.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the Windows Credential Manager backend (PID {@code org.coffer.backend.wincred}). */
@ObjectClassDefinition(name = "Coffer Windows Credential Manager",
        description = "Windows Credential Locker, shared with Python keyring's WinVaultKeyring")
@interface WinCredConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default WinCredBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:use know it by")
    String name() default WinCredBackend.NAME;
}
