package org.coffer.backend.cryptfile.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the cryptfile keyring backend (PID {@code org.coffer.backend.cryptfile}). */
@ObjectClassDefinition(name = "Coffer cryptfile keyring",
        description = "The keyrings.cryptfile CryptFileKeyring file, shared with Python's keyring.")
@interface CryptFileConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default CryptFileBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "File", description = "The keyring file; empty for $KEYRING_CRYPTFILE_PATH, else"
            + " $XDG_DATA_HOME/python_keyring/cryptfile_pass.cfg, as Python's keyrings.cryptfile uses")
    String file() default "";

    @AttributeDefinition(name = "Password service", description = "Take the keyring password from another"
            + " backend: the service of the entry that holds it (empty: off)")
    String password_service() default "";

    @AttributeDefinition(name = "Password username", description = "The username of that entry")
    String password_username() default "";

    @AttributeDefinition(name = "Largest file (MiB)", description = "A keyring file larger than this is refused"
            + " with a message and left as it is, never read into memory whole")
    int max_file_size_mib() default 16;
}
