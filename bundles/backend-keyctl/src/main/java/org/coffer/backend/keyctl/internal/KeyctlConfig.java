package org.coffer.backend.keyctl.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the Linux kernel keyring backend (PID {@code org.coffer.backend.keyctl}). */
@ObjectClassDefinition(name = "Coffer Linux kernel keyring",
        description = "Secrets as user keys of the kernel's key retention service: never on disk")
@interface KeyctlConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default KeyctlBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "Keyring", description = "persistent (the user's persistent keyring: survives"
            + " logout, expires after the kernel's idle timeout), user, session, or a keyring's serial number")
    String keyring() default "persistent";

    @AttributeDefinition(name = "Timeout", description = "Seconds until a key written expires; 0 for never")
    int timeout() default 0;

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:use know it by")
    String name() default KeyctlBackend.NAME;
}
