package org.coffer.credentials.xml.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the credentials.xml repository (PID {@code org.coffer.credentials.xml}; the
 * former PID {@code org.coffer.format.xml} is still read, with a warning).
 */
@ObjectClassDefinition(pid = XmlCredentialRepository.PID, name = "Coffer credentials.xml",
        description = "Pineapple's credentials.xml: environments of credentials with encrypted passwords.")
@interface CredentialsXmlConfig {

    @AttributeDefinition(name = "Ranking", description = "The highest-ranked repository is used")
    int service_ranking() default 0;

    @AttributeDefinition(name = "File", description = "The credentials file; empty for"
            + " conf/credentials.xml under ${coffer.home}; in Karaf etc/credentials.xml; else under the user's"
            + " state folder")
    String file() default "";

    @AttributeDefinition(name = "Watch interval", description = "Seconds between checks for changes of the file"
            + " made by hand or by another process; 0 to reload only on credentials:refresh")
    int watch_interval() default 2;
}
