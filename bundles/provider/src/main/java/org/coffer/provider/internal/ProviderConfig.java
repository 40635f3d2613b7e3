package org.coffer.provider.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the credential provider (PID {@code org.coffer.provider}). */
@ObjectClassDefinition(name = "Coffer credential provider")
public @interface ProviderConfig {

    @AttributeDefinition(name = "Pinned backend", description = "The backend that receives writes;"
            + " empty for the highest-ranked one. Set by keyring:use.")
    String pinned_backend() default "";
}
