package org.coffer.crypto.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Settings of the master password (PID {@code org.coffer.crypto}). */
@ObjectClassDefinition(name = "Coffer master password",
        description = "Where the master password of credentials.xml and ENC(...) values comes from.")
@interface MasterKeyConfig {

    @AttributeDefinition(name = "Ranking", description = "The highest-ranked master key is used")
    int service_ranking() default 0;

    @AttributeDefinition(name = "Source", description = "Where the master password comes from",
            options = {@Option(label = "A file", value = "file"),
                @Option(label = "An environment variable", value = "env"),
                @Option(label = "A keyring entry", value = "keyring")})
    String source() default "file";

    @AttributeDefinition(name = "File", description = "The master password file; empty for the framework property"
            + " coffer.credentialprovider.password.file, else pineapple.credentialprovider.password.file, else"
            + " conf/credentialprovider.password under ${coffer.home}; in Karaf etc/credentialprovider.password;"
            + " else under the user's state folder")
    String file() default "";

    @AttributeDefinition(name = "Environment variable", description = "The variable that holds the master password")
    String environment_variable() default "COFFER_MASTER_PASSWORD";

    @AttributeDefinition(name = "Keyring service", description = "The service of the keyring entry that holds it")
    String keyring_service() default "coffer";

    @AttributeDefinition(name = "Keyring username", description = "The username of that entry")
    String keyring_username() default "master-password";
}
