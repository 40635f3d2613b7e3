package org.coffer.backend.macos.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the macOS Keychain backend (PID {@code org.coffer.backend.macos}). */
@ObjectClassDefinition(name = "Coffer macOS Keychain",
        description = "The macOS Keychain, shared with Python keyring's macOS backend")
@interface KeychainConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default KeychainBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:use know it by")
    String name() default KeychainBackend.NAME;
}
