package org.coffer.configadmin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What the reference plugin reads of the access settings (PID {@code org.coffer.access}). */
@ObjectClassDefinition(name = "Coffer configuration references")
@interface ResolveConfig {

    @AttributeDefinition(name = "PIDs that resolve references", description = "PIDs or factory PIDs whose"
            + " $[keyring:...] and $[env:...] references are resolved, besides the sections of app.config;"
            + " a trailing * matches a prefix. Coffer's own PIDs (org.coffer.*) never resolve references.")
    String[] resolve_pids() default {};
}
