package org.coffer.configadmin.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.coffer.spi.support.KeyringPasswordSources;

/**
 * Which configurations may have their secret references resolved, and which references
 * no configuration may name. A configuration is a way into the keyring for whoever
 * writes it, so only the app.config the user serves (known by the publisher's own
 * record of what it wrote, never by a property of the configuration) and the PIDs the
 * administrator lists ({@code resolve.pids} of the access policy's files) are resolved, never a
 * configuration of Coffer's own (its resolved values would become service properties),
 * and never a reference to a keyring's own password in the environment. The keyring
 * entries that unlock something are declared by their owners and refused by the
 * provider itself, whoever asks.
 */
final class ResolutionPolicy {

    /** Coffer's own PIDs: their values become properties of services every bundle sees. */
    private static final String OWN_PREFIX = "org.coffer.";
    /** The variables that hold a password of Coffer's, whatever a configuration says. */
    private static final Set<String> PASSWORD_VARIABLES;

    static {
        Set<String> names = new HashSet<>(KeyringPasswordSources.VARIABLES);
        names.addAll(List.of("KEYRING_PASSWORD", "COFFER_MASTER_PASSWORD", "COFFER_SECRETSERVICE_PASSWORD",
                "COFFER_ENCRYPTEDFILE_PASSWORD", "COFFER_WEB_PASSWORD"));
        PASSWORD_VARIABLES = Collections.unmodifiableSet(names);
    }

    private final List<Pattern> allowed;
    private final Set<String> variables;
    private final BiPredicate<String, Dictionary<String, Object>> published;

    /**
     * @param allowedPids the PIDs (or factory PIDs) the administrator allows; {@code *} ends a prefix
     * @param passwordVariables further variables that hold a keyring's password
     * @param published whether the app.config publisher wrote exactly this configuration (PID, properties)
     */
    ResolutionPolicy(String[] allowedPids, Set<String> passwordVariables,
            BiPredicate<String, Dictionary<String, Object>> published) {
        this.published = published;
        List<Pattern> patterns = new ArrayList<>();
        for (String pid : allowedPids) {
            String glob = pid.strip();
            if (!glob.isEmpty()) {
                patterns.add(Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q")));
            }
        }
        this.allowed = List.copyOf(patterns);
        Set<String> names = new HashSet<>(PASSWORD_VARIABLES);
        names.addAll(passwordVariables);
        this.variables = Set.copyOf(names);
    }

    /**
     * @param pid the configuration's PID
     * @param factoryPid its factory PID, or {@code null}
     * @param properties what ConfigAdmin stores for it
     * @return whether references in it may be resolved
     */
    boolean mayResolve(String pid, String factoryPid, Dictionary<String, Object> properties) {
        if (pid == null || pid.startsWith(OWN_PREFIX) || (factoryPid != null && factoryPid.startsWith(OWN_PREFIX))) {
            return false;
        }
        if (published.test(pid, properties)) {
            return true;
        }
        return allowed.stream().anyMatch(p -> p.matcher(pid).matches()
                || (factoryPid != null && p.matcher(factoryPid).matches()));
    }

    /**
     * @param reference {@code scheme:path}, as in a token
     * @return whether it names one of Coffer's own passwords
     */
    boolean isPasswordSource(String reference) {
        int colon = reference.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String scheme = reference.substring(0, colon).toLowerCase(Locale.ROOT);
        String path = reference.substring(colon + 1);
        switch (scheme) {
            case "env":
                return variables.contains(path);
            default:
                // the entries that unlock something are declared by their backends and never
                // resolved by the provider (org.coffer.spi.ProtectedEntries)
                return false;
        }
    }
}
