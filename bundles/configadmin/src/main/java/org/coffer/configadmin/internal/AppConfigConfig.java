package org.coffer.configadmin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the app.config publisher (PID {@code org.coffer.appconfig}). */
@ObjectClassDefinition(name = "Coffer app.config")
@interface AppConfigConfig {

    @AttributeDefinition(name = "File", description = "The app.config to serve; empty for $APP_CONFIG_FILE,"
            + " else ./app.config, else ~/.resilient/app.config")
    String file() default "";

    @AttributeDefinition(name = "PIDs", description = "section=pid pairs; a section not named here is published"
            + " under its own name")
    String[] pids() default {};

    @AttributeDefinition(name = "Strict", description = "A reference that finds nothing is an error"
            + " (the configuration is not published) instead of being left as written")
    boolean strict() default false;

    @AttributeDefinition(name = "Poll interval", description = "How often the file is checked for changes, in milliseconds")
    long poll_interval() default 1000;
}
