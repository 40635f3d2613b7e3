package org.coffer.format.properties.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the properties format (PID {@code org.coffer.format.properties}). */
@ObjectClassDefinition(name = "Coffer properties format",
        description = "*.properties and Karaf *.cfg files whose ENC(...) values are encrypted with the master password.")
@interface PropertiesConfig {

    @AttributeDefinition(name = "Ranking", description = "For a file, the highest-ranked format that accepts it wins")
    int service_ranking() default 100;
}
