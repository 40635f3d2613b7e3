package org.coffer.provider.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.coffer.BackendException;
import org.coffer.IntegrityException;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.ProtectedEntries;
import org.osgi.framework.Bundle;

/**
 * How a locked backend or a key source gets its own password or keys: the provider reads
 * the entries it declared ({@link ProtectedEntries}) from the other backends of the chain
 * and hands them over ({@link ProtectedEntries#supply}). The read is the owner bundle's
 * own, through its {@link CallerView}: the access policy and the audit apply as to any
 * read. A backend is never asked for its own entries, nor is any backend being supplied
 * on the same walk, so no component looks the provider up and no recursion needs a guard.
 */
final class EntrySupply {

    private final BackendChain chain;
    private final BoundBackends bound;
    private final Function<Bundle, CallerView> views;
    /** The key sources that are not backends (the master key), with their bundles. */
    private final Map<ProtectedEntries, Optional<Bundle>> keySources = new ConcurrentHashMap<>();
    private final Object supplying = new Object();
    private volatile Consumer<String> warn = message -> { };

    /**
     * @param chain the backends the entries are read from
     * @param bound the bound backends, for their bundles
     * @param views a bundle's view of the provider: its reads are checked and audited as that bundle's
     */
    EntrySupply(BackendChain chain, BoundBackends bound, Function<Bundle, CallerView> views) {
        this.chain = chain;
        this.bound = bound;
        this.views = views;
        chain.supplyWith(this::supply);
    }

    /** @param warn where a supply that failed is reported, and an entry that could not be read; never a value */
    void warnTo(Consumer<String> warn) {
        this.warn = warn;
    }

    /** @return the key sources that are not backends */
    Iterable<ProtectedEntries> keySources() {
        return Set.copyOf(keySources.keySet());
    }

    /** A key source arrived: it gets its entries at once if it awaits them. */
    void addKeySource(ProtectedEntries source, Bundle bundle) {
        keySources.put(source, Optional.ofNullable(bundle));
        supplyQuietly(source, false);
    }

    void removeKeySource(ProtectedEntries source) {
        keySources.remove(source);
    }

    /**
     * Supplies every component that awaits its entries, after something changed that may
     * have made them readable: a backend joined or was unlocked. Failures are reported,
     * not thrown: the components say why in their diagnosis.
     */
    void supplyAwaiting() {
        for (ProtectedEntries owner : owners()) {
            supplyQuietly(owner, false);
        }
    }

    /**
     * An entry was written through the provider: every component that declared it takes
     * the new value, awaited or not (etcd's password changed, a locked keyring's password
     * arrived).
     *
     * @param entry the entry written
     */
    void written(KeyringEntry entry) {
        for (ProtectedEntries owner : owners()) {
            if (declares(owner, entry)) {
                supplyQuietly(owner, true);
            }
        }
    }

    private Iterable<ProtectedEntries> owners() {
        Set<ProtectedEntries> owners = new LinkedHashSet<>();
        bound.all().forEach(owners::add);
        keySources().forEach(owners::add);
        return owners;
    }

    private void supplyQuietly(ProtectedEntries owner, boolean always) {
        try {
            supply(owner, Set.of(), always);
        } catch (RuntimeException e) {
            warn.accept("The entries " + name(owner) + " reads its own secrets from could not be supplied: "
                    + e.getMessage());
        }
    }

    /**
     * Reads the owner's declared entries from the other backends and hands each value
     * over, if it still awaits them. One owner at a time, so that a keyring is unlocked once.
     *
     * @param owner a backend or key source
     * @param outer the components whose supply this one serves; none of them is read
     * @throws BackendException if an entry cannot be trusted or its value does not do (an entry that cannot be
     *         read now leaves the owner as it is, with a warning)
     * @throws org.coffer.AccessDeniedException if the owner's bundle may not read the entry
     */
    void supply(ProtectedEntries owner, Set<ProtectedEntries> outer) {
        supply(owner, outer, false);
    }

    private void supply(ProtectedEntries owner, Set<ProtectedEntries> outer, boolean always) {
        synchronized (supplying) {
            if (!always && !awaits(owner)) {
                return;
            }
            Set<ProtectedEntries> owners = new LinkedHashSet<>(outer);
            owners.add(owner);
            CallerView view = views.apply(bundleOf(owner));
            for (KeyringEntry entry : owner.protectedEntries()) {
                Optional<Secret> value;
                try {
                    value = view.getFor(owners, entry);
                } catch (IntegrityException e) {
                    // the entry fails its check: the owner stays as it is, and its own reads go on
                    throw new BackendException("The entry '" + entry.username() + "' of '" + entry.service()
                            + "' that " + name(owner) + " reads its own secret from cannot be trusted: "
                            + e.getMessage(), e);
                } catch (BackendException e) {
                    // unavailable now (a cached password's kernel key expired, its store away): the owner stays
                    // as it is and asks for its password, as when the entry is not there
                    warn.accept("The entry '" + entry.username() + "' of '" + entry.service() + "' that "
                            + name(owner) + " reads its own secret from cannot be read now: " + e.getMessage());
                    continue;
                }
                if (value.isPresent()) {
                    try (Secret secret = value.get()) {
                        owner.supply(entry, secret);
                    }
                }
            }
        }
    }

    private Bundle bundleOf(ProtectedEntries owner) {
        if (owner instanceof KeyringBackend) {
            return bound.bundleOf((KeyringBackend) owner);
        }
        return keySources.getOrDefault(owner, Optional.empty()).orElse(null);
    }

    private static boolean awaits(ProtectedEntries owner) {
        try {
            return owner.awaitsEntries();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean declares(ProtectedEntries owner, KeyringEntry entry) {
        try {
            return owner.protectedEntries().contains(entry);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * @param owner a backend or key source
     * @return how messages name it: the backend by its name, a key source by its bundle
     */
    String name(ProtectedEntries owner) {
        if (owner instanceof KeyringBackend) {
            try {
                return "the keyring backend '" + ((KeyringBackend) owner).name() + "'";
            } catch (RuntimeException e) {
                return "the keyring backend " + owner.getClass().getName();
            }
        }
        Bundle bundle = bundleOf(owner);
        // the master key of org.coffer.crypto, the master passwords of org.coffer.eclipse, ...
        return bundle == null ? "a key source" : "the key source of " + bundle.getSymbolicName();
    }
}
