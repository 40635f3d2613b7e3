package org.coffer.webconsole.internal;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the last changes did, kept here under a random id the browser is redirected to,
 * so that a crafted link cannot put words on the page.
 */
final class Outcomes {

    /** A message for the page, and whether it reports a failure. */
    static final class Outcome {
        final String message;
        final boolean failed;

        Outcome(String message, boolean failed) {
            this.message = message;
            this.failed = failed;
        }
    }

    private static final int KEPT = 64;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Outcome> recent = new LinkedHashMap<>(KEPT, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
            return size() > KEPT;
        }
    };

    /** @return the id the page asks for it by */
    synchronized String add(String message, boolean failed) {
        String id = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        recent.put(id, new Outcome(message, failed));
        return id;
    }

    synchronized Outcome get(String id) {
        return id == null ? null : recent.get(id);
    }
}
