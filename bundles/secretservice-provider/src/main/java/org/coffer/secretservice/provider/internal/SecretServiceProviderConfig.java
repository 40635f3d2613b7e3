package org.coffer.secretservice.provider.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of Coffer's Secret Service (PID {@code org.coffer.secretservice.provider}); a configuration turns it on. */
@ObjectClassDefinition(name = "Coffer Secret Service",
        description = "Serves org.freedesktop.secrets on the D-Bus session bus from Coffer's keyrings")
@interface SecretServiceProviderConfig {

    @AttributeDefinition(name = "Bus address", description = "The D-Bus session bus to serve; empty for"
            + " DBUS_SESSION_BUS_ADDRESS")
    String bus_address() default "";

    @AttributeDefinition(name = "Label", description = "The label of the default collection")
    String label() default "Coffer";
}
