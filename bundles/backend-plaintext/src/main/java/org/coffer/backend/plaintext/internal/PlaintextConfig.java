package org.coffer.backend.plaintext.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the plaintext keyring backend (PID {@code org.coffer.backend.plaintext}). */
@ObjectClassDefinition(name = "Coffer plaintext keyring",
        description = "The keyrings.alt PlaintextKeyring file, shared with Python's keyring. Not encrypted.")
@interface PlaintextConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default PlaintextBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "File", description = "The keyring file; empty for"
            + " $XDG_DATA_HOME/python_keyring/keyring_pass.cfg, as Python's keyrings.alt uses")
    String file() default "";

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:use know it by;"
            + " change it when a second plaintext keyring is installed")
    String name() default PlaintextBackend.NAME;

    @AttributeDefinition(name = "Largest file (MiB)", description = "A keyring file larger than this is refused"
            + " with a message and left as it is, never read into memory whole")
    int max_file_size_mib() default 16;
}
