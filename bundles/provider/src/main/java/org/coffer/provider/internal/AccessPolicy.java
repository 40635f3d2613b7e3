package org.coffer.provider.internal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.osgi.framework.Bundle;

/**
 * Who may do what through the provider, from PID {@code org.coffer.access}:
 * <pre>
 * policy = enforce                       # open (the default), audit or enforce
 * read.com.example.app = db/*, smtp/mailer, env:DB_HOST
 * write.com.example.app = db/*
 * signer.com.example.app = CN=Example Build, O=Example
 * admin = com.example.console            # may pin, unlock, lock and migrate
 * masterkey = com.example.console        # may use the master key (Coffer's own bundles always)
 * backends = org.coffer.backend.*, com.example.vault
 * </pre>
 * Entries are {@code service/username} (other references {@code scheme:path}); a
 * {@code *} matches anything. Coffer's own bundles keep what they need without a rule:
 * the shell administers, reads and writes; the configuration plugin, the master key and
 * the keyrings read (their password entries). Under {@code audit} everything is allowed
 * and what enforcing would refuse is recorded; under {@code open} nothing is refused.
 */
final class AccessPolicy {

    /** What a check decided. */
    enum Verdict {
        ALLOWED, DENIED, WOULD_BE_DENIED
    }

    private static final List<String> OWN_READERS = List.of("org.coffer.shell", "org.coffer.configadmin",
            "org.coffer.crypto", "org.coffer.keyringfile", "org.coffer.backend.*", "org.coffer.format.*");
    private static final List<String> OWN_WRITERS = List.of("org.coffer.shell", "org.coffer.crypto");
    private static final List<String> OWN_ADMINS = List.of("org.coffer.shell");

    static final AccessPolicy OPEN = of(Map.of());

    private final String mode;
    private final Map<String, List<Pattern>> read = new HashMap<>();
    private final Map<String, List<Pattern>> write = new HashMap<>();
    private final Map<String, String> signers = new HashMap<>();
    private final List<Pattern> admin = new ArrayList<>();
    private final List<Pattern> backends = new ArrayList<>();
    private final List<Pattern> masterKey = new ArrayList<>();

    private AccessPolicy(String mode) {
        this.mode = mode;
    }

    /** @param properties the configuration of {@code org.coffer.access}, merged with the provider's */
    static AccessPolicy of(Map<String, ?> properties) {
        Object mode = properties.get("policy");
        String name = mode == null ? "open" : mode.toString().strip().toLowerCase(Locale.ROOT);
        if (!List.of("open", "audit", "enforce").contains(name)) {
            // a typo must not open what the administrator meant to close
            name = "enforce";
        }
        AccessPolicy policy = new AccessPolicy(name);
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("read.")) {
                policy.read.put(key.substring(5), globs(entry.getValue()));
            } else if (key.startsWith("write.")) {
                policy.write.put(key.substring(6), globs(entry.getValue()));
            } else if (key.startsWith("signer.")) {
                policy.signers.put(key.substring(7), entry.getValue().toString().strip());
            }
        }
        policy.admin.addAll(globs(properties.get("admin")));
        policy.admin.addAll(globs(OWN_ADMINS));
        Object providers = properties.get("backends");
        policy.backends.addAll(globs(providers == null ? List.of("org.coffer.backend.*") : providers));
        policy.masterKey.addAll(globs(properties.get("masterkey")));
        policy.masterKey.addAll(globs(List.of("org.coffer.*")));
        return policy;
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
        return decide(named(bundle) && any(admin, bundle.getSymbolicName()) && signedAsRequired(bundle));
    }

    /** @return whether the bundle may use the master key service (decrypt, rekey) */
    boolean maySeeMasterKey(Bundle bundle) {
        return named(bundle) && any(masterKey, bundle.getSymbolicName()) && signedAsRequired(bundle);
    }

    /** @return why the bundle's backends are ignored, or {@code null} when they count */
    String refusesBackendsOf(Bundle bundle) {
        if (!"enforce".equals(mode) || (named(bundle) && any(backends, bundle.getSymbolicName())
                && signedAsRequired(bundle))) {
            return null;
        }
        return "registered by bundle " + (named(bundle) ? bundle.getSymbolicName() : "#" + bundle.getBundleId())
                + ", which 'backends' of org.coffer.access does not name";
    }

    private Verdict decide(boolean allowed) {
        if (allowed || "open".equals(mode)) {
            return Verdict.ALLOWED;
        }
        return "audit".equals(mode) ? Verdict.WOULD_BE_DENIED : Verdict.DENIED;
    }

    private boolean matches(Map<String, List<Pattern>> rules, Bundle bundle, String entry) {
        if (!named(bundle)) {
            return false;
        }
        List<Pattern> patterns = rules.get(bundle.getSymbolicName());
        return patterns != null && any(patterns, entry) && signedAsRequired(bundle);
    }

    private boolean ownMatches(List<String> own, Bundle bundle) {
        return named(bundle) && any(globs(own), bundle.getSymbolicName()) && signedAsRequired(bundle);
    }

    /** A bundle with a signer rule counts only when a certificate the framework trusts has that subject. */
    private boolean signedAsRequired(Bundle bundle) {
        String wanted = signers.get(bundle.getSymbolicName());
        if (wanted == null) {
            return true;
        }
        X500Principal subject;
        try {
            subject = new X500Principal(wanted);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (List<X509Certificate> chain : bundle.getSignerCertificates(Bundle.SIGNERS_TRUSTED).values()) {
            if (!chain.isEmpty() && chain.get(0).getSubjectX500Principal().equals(subject)) {
                return true;
            }
        }
        return false;
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
