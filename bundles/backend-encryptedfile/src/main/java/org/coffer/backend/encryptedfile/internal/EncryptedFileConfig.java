package org.coffer.backend.encryptedfile.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the encrypted-file keyring backend (PID {@code org.coffer.backend.encryptedfile}). */
@ObjectClassDefinition(name = "Coffer encrypted-file keyring",
        description = "The keyrings.alt EncryptedKeyring file, shared with Python's keyring.")
@interface EncryptedFileConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default EncryptedFileBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "File", description = "The keyring file; empty for"
            + " $XDG_DATA_HOME/python_keyring/crypted_pass.cfg, as Python's keyrings.alt uses")
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
