package org.coffer.credentials.xml.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import org.osgi.framework.Constants;

/**
 * The PID of credentials.xml from when its bundle was called format-xml. Configurations
 * under it still apply, so that users' files keep working, but each activation they take
 * part in is logged as a warning that names the PID to move them to.
 */
final class FormerPid {

    static final String PID = "org.coffer.format.xml";

    private FormerPid() {
    }

    /**
     * @param properties a component's properties; their {@code service.pid} is one PID, or
     *     an array or a collection of them when several configurations were merged
     * @return whether a configuration under the former PID is among them
     */
    static boolean configures(Map<String, ?> properties) {
        Object pids = properties.get(Constants.SERVICE_PID);
        if (pids instanceof String[]) {
            return Arrays.asList((String[]) pids).contains(PID);
        }
        if (pids instanceof Collection) {
            return ((Collection<?>) pids).contains(PID);
        }
        return PID.equals(pids);
    }

    /** @return the warning, naming the former PID and the current one */
    static String warning(String current) {
        return "The configuration " + PID + " still configures credentials.xml, under its former name; move its"
                + " properties to " + current + " (in Karaf, rename etc/" + PID + ".cfg to etc/" + current + ".cfg)."
                + " Where both exist, " + current + " wins";
    }
}
