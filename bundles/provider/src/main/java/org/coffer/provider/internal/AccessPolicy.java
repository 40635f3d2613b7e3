package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;

/**
 * Who may do what through the provider, from PID {@code org.coffer.access}:
 * <pre>
 * policy = enforce                       # open (the default), audit or enforce
 * read.com.example.app = db/*, smtp/mailer, env:DB_HOST
 * write.com.example.app = db/*
 * admin = com.example.console            # may pin, unlock, lock and migrate
 * masterkey = com.example.console        # may use the master key (Coffer's own bundles always)
 * backends = org.coffer.backend.*, com.example.vault
 * </pre>
 * Entries are {@code service/username} (other references {@code scheme:path}); a
 * {@code *} matches anything. Coffer's own bundles keep what they need without a rule:
 * the shell administers, reads and writes; the configuration plugin, the master key and
 * the keyrings read (their password entries). Coffer's own are known by where Coffer
 * installed them ({@link OwnBundles}), never by a name alone: a bundle that calls itself
 * {@code org.coffer.shell} from elsewhere gets no more than any other bundle. Under
 * {@code audit} everything is allowed and what enforcing would refuse is recorded; under
 * {@code open} nothing is refused.
 *
 * <p>A {@code signer.<bundle>} rule is not supported: Felix reports no signers without
 * its security extension, so such a rule could never hold. A bundle named in one gets no
 * rights at all, and {@link #problems()} says so, so that a rule meant to narrow a grant
 * never widens it.
 */
final class AccessPolicy {

    /** What a check decided. */
    enum Verdict {
        ALLOWED, DENIED, WOULD_BE_DENIED
    }

    private static final List<Pattern> OWN_READERS = globs(List.of("org.coffer.shell", "org.coffer.configadmin",
            "org.coffer.crypto", "org.coffer.keyringfile", "org.coffer.backend.*", "org.coffer.format.*",
            "org.coffer.credentials.xml"));
    private static final List<Pattern> OWN_WRITERS = globs(List.of("org.coffer.shell", "org.coffer.crypto"));
    private static final List<Pattern> OWN_ADMINS = globs(List.of("org.coffer.shell"));
    private static final List<Pattern> OWN_MASTER_KEY = globs(List.of("org.coffer.*"));
    private static final List<Pattern> OWN_BACKENDS = globs(List.of("org.coffer.backend.*"));

    static final AccessPolicy OPEN = of(Map.of(), null);

    private final String mode;
    private final Map<String, List<Pattern>> read = new HashMap<>();
    private final Map<String, List<Pattern>> write = new HashMap<>();
    private final List<String> signerRules = new ArrayList<>();
    private final OwnBundles own;
    private final List<Pattern> admin = new ArrayList<>();
    private final List<Pattern> backends = new ArrayList<>();
    private final List<Pattern> masterKey = new ArrayList<>();
    /** Whether the administrator listed the backend bundles; otherwise Coffer's own backends count. */
    private boolean backendsNamed;

    private AccessPolicy(String mode, OwnBundles own) {
        this.mode = mode;
        this.own = own;
    }

    /**
     * @param properties the policy, from its files
     * @param own which bundles are Coffer's; {@code null} for none (tests of the rules alone)
     */
    static AccessPolicy of(Map<String, ?> properties, OwnBundles own) {
        Object mode = properties.get("policy");
        String name = mode == null ? "open" : mode.toString().strip().toLowerCase(Locale.ROOT);
        if (!List.of("open", "audit", "enforce").contains(name)) {
            // a typo must not open what the administrator meant to close
            name = "enforce";
        }
        AccessPolicy policy = new AccessPolicy(name, own);
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("read.")) {
                policy.read.put(key.substring(5), globs(entry.getValue()));
            } else if (key.startsWith("write.")) {
                policy.write.put(key.substring(6), globs(entry.getValue()));
            } else if (key.startsWith("signer.")) {
                policy.signerRules.add(key.substring(7));
            }
        }
        policy.admin.addAll(globs(properties.get("admin")));
        Object providers = properties.get("backends");
        policy.backendsNamed = providers != null;
        policy.backends.addAll(globs(providers));
        policy.masterKey.addAll(globs(properties.get("masterkey")));
        return policy;
    }

    /** @return what in the policy cannot be honoured, for the diagnosis; empty when nothing */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String bundle : signerRules) {
            problems.add("signer." + bundle + ": signer rules are not supported, so " + bundle + " gets no rights");
        }
        return problems;
    }

    /** @return {@code open}, {@code audit} or {@code enforce} */
    String mode() {
        return mode;
    }

    Verdict mayRead(Bundle bundle, String entry) {
        return decide(matches(read, bundle, entry) || ownMatches(OWN_READERS, bundle));
    }

    Verdict mayWrite(Bundle bundle, String entry) {
        return decide(matches(write, bundle, entry) || ownMatches(OWN_WRITERS, bundle));
    }

    Verdict mayAdminister(Bundle bundle) {
        return decide(granted(admin, bundle) || ownMatches(OWN_ADMINS, bundle));
    }

    /** @return whether the bundle may use the master key service (decrypt, rekey) */
    boolean maySeeMasterKey(Bundle bundle) {
        return granted(masterKey, bundle) || ownMatches(OWN_MASTER_KEY, bundle);
    }

    /** @return why the bundle's backends are ignored, or {@code null} when they count */
    String refusesBackendsOf(Bundle bundle) {
        if (!"enforce".equals(mode) || granted(backends, bundle)
                || (!backendsNamed && ownMatches(OWN_BACKENDS, bundle))) {
            return null;
        }
        return "registered by bundle " + name(bundle) + ", which 'backends' of org.coffer.access does not name";
    }

    /** @return the bundle's name as the audit and refusals show it */
    String name(Bundle bundle) {
        if (bundle == null) {
            return "(none)";
        }
        return own == null ? (named(bundle) ? bundle.getSymbolicName() : "#" + bundle.getBundleId()) : own.name(bundle);
    }

    private Verdict decide(boolean allowed) {
        if (allowed || "open".equals(mode)) {
            return Verdict.ALLOWED;
        }
        return "audit".equals(mode) ? Verdict.WOULD_BE_DENIED : Verdict.DENIED;
    }

    private boolean matches(Map<String, List<Pattern>> rules, Bundle bundle, String entry) {
        if (!named(bundle) || signerRules.contains(bundle.getSymbolicName())) {
            return false;
        }
        List<Pattern> patterns = rules.get(bundle.getSymbolicName());
        return patterns != null && any(patterns, entry);
    }

    /** A rule of the administrator's that names the bundle. */
    private boolean granted(List<Pattern> rule, Bundle bundle) {
        return named(bundle) && !signerRules.contains(bundle.getSymbolicName()) && any(rule, bundle.getSymbolicName());
    }

    /** One of Coffer's own rights: the name must match, and Coffer must have installed the bundle. */
    private boolean ownMatches(List<Pattern> names, Bundle bundle) {
        return named(bundle) && own != null && own.isOwn(bundle) && any(names, bundle.getSymbolicName());
    }

    private static boolean named(Bundle bundle) {
        return bundle != null && bundle.getSymbolicName() != null;
    }

    private static boolean any(List<Pattern> patterns, String text) {
        return patterns.stream().anyMatch(p -> p.matcher(text).matches());
    }

    private static List<Pattern> globs(Object value) {
        List<String> items = new ArrayList<>();
        if (value instanceof String[]) {
            items.addAll(List.of((String[]) value));
        } else if (value instanceof Iterable) {
            ((Iterable<?>) value).forEach(v -> items.add(v.toString()));
        } else if (value != null) {
            items.addAll(List.of(value.toString().split(",")));
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String item : items) {
            String glob = item.strip();
            if (!glob.isEmpty()) {
                patterns.add(Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q")));
            }
        }
        return patterns;
    }
}
