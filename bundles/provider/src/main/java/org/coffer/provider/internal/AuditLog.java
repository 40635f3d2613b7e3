package org.coffer.provider.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** Writes Coffer's audit events to the OSGi log: refusals as warnings, the rest as information. */
@Component(property = EventConstants.EVENT_TOPIC + "=org/coffer/*")
public final class AuditLog implements EventHandler {

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Override
    public void handleEvent(Event event) {
        Logger current = logger;
        if (current == null) {
            return;
        }
        String action = event.getTopic().substring(event.getTopic().lastIndexOf('/') + 1);
        Object outcome = event.getProperty("outcome");
        String line = "audit: bundle " + event.getProperty("bundle.symbolicName") + " " + action + " "
                + event.getProperty("service") + "/" + event.getProperty("username") + " backend "
                + event.getProperty("backend") + ": " + outcome;
        if (String.valueOf(outcome).contains("denied")) {
            current.warn(line);
        } else {
            current.info(line);
        }
    }
}
