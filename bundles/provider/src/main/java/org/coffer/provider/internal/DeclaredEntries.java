package org.coffer.provider.internal;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coffer.AccessDeniedException;
import org.coffer.KeyringEntry;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.ProtectedEntries;

/**
 * The entries that backends and key sources declare they read their own passwords and
 * keys from ({@link ProtectedEntries}). None of them resolves as a reference, whoever
 * asks: a reference comes from a configuration, and a configuration is a way in for
 * whoever can write it. Asked at each resolution, so a backend that changed its
 * configuration is never out of date.
 */
final class DeclaredEntries {

    private final Supplier<Iterable<KeyringBackend>> backends;
    private final Supplier<Iterable<ProtectedEntries>> keySources;
    private final Function<ProtectedEntries, String> names;

    /**
     * @param backends the bound backends
     * @param keySources the key sources that are not backends
     * @param names how a message names a key source
     */
    DeclaredEntries(Supplier<Iterable<KeyringBackend>> backends, Supplier<Iterable<ProtectedEntries>> keySources,
            Function<ProtectedEntries, String> names) {
        this.backends = backends;
        this.keySources = keySources;
        this.names = names;
    }

    /**
     * @param service the service of a {@code keyring:} reference
     * @param username its username
     * @throws AccessDeniedException if a backend or key source declared the entry
     */
    void refuseReference(String service, String username) {
        KeyringEntry entry = new KeyringEntry(service, username);
        Optional<String> owner = owner(entry);
        if (owner.isPresent()) {
            throw new AccessDeniedException("The reference keyring:" + service + "/" + username + " is not resolved: "
                    + owner.get() + " reads its own secret from that entry, and such an entry never resolves"
                    + " as a reference");
        }
    }

    /** @return whether a backend or key source declared the entry */
    boolean isDeclared(KeyringEntry entry) {
        return owner(entry).isPresent();
    }

    private Optional<String> owner(KeyringEntry entry) {
        for (KeyringBackend backend : backends.get()) {
            if (declares(backend, entry)) {
                return Optional.of("the keyring backend '" + name(backend) + "'");
            }
        }
        for (ProtectedEntries source : keySources.get()) {
            if (declares(source, entry)) {
                return Optional.of(names.apply(source));
            }
        }
        return Optional.empty();
    }

    private static boolean declares(ProtectedEntries owner, KeyringEntry entry) {
        try {
            return owner.protectedEntries().contains(entry);
        } catch (RuntimeException e) {
            // Coffer's owners answer from their configuration and do not throw; one that
            // does must not stop every other reference from resolving
            return false;
        }
    }

    private static String name(KeyringBackend backend) {
        try {
            return backend.name();
        } catch (RuntimeException e) {
            return backend.getClass().getName();
        }
    }
}
