package org.coffer.backend.eclipse.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the eclipse backend (PID {@code org.coffer.backend.eclipse}). */
@ObjectClassDefinition(name = "Coffer Eclipse secure storage",
        description = "Equinox Secure Storage (secure_storage) of an Eclipse IDE or RCP application, read-only")
@interface EclipseConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first; this one"
            + " only answers reads")
    int service_ranking() default EclipseBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "File", description = "The storage file; empty for"
            + " ~/.eclipse/org.eclipse.equinox.security/secure_storage, Eclipse's own")
    String file() default "";

    @AttributeDefinition(name = "Password file", description = "A file holding the master password, as Eclipse's"
            + " -eclipse.password takes it (its lines joined); empty: keyring:unlock eclipse asks for it")
    String password_file() default "";

    @AttributeDefinition(name = "Password service", description = "The service of another backend's entry that"
            + " holds the master password (with password.username), for example one keyring:set put in the cryptfile"
            + " keyring; Coffer's provider hands it over. The entry Coffer's own Eclipse password provider keeps"
            + " ('eclipse secure storage', the file's path) is always tried too")
    String password_service() default "";

    @AttributeDefinition(name = "Password username", description = "The username of that entry")
    String password_username() default "";

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:migrate know it by")
    String name() default EclipseBackend.NAME;
}
