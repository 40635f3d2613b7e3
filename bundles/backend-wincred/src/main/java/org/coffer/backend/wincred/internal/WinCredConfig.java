package org.coffer.backend.wincred.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Settings of the Windows Credential Manager backend (PID {@code org.coffer.backend.wincred}). */
@ObjectClassDefinition(name = "Coffer Windows Credential Manager",
        description = "Windows Credential Locker, shared with Python keyring's WinVaultKeyring")
@interface WinCredConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default WinCredBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "Persist", description = "Where Windows keeps the credentials written, as Python"
            + " keyring's WinVaultKeyring.persist: enterprise (roams with the user's profile), local machine"
            + " (this computer only) or session (until logoff)", options = {
                @Option(label = "enterprise", value = "enterprise"),
                @Option(label = "local machine", value = "local machine"),
                @Option(label = "session", value = "session")})
    String persist() default Persistence.DEFAULT;

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:use know it by")
    String name() default WinCredBackend.NAME;
}
