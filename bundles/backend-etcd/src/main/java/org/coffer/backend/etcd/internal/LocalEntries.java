package org.coffer.backend.etcd.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.support.MemorySeal;
import org.coffer.spi.support.SealedSecret;

/**
 * The entries of the machine's own backends that hold what etcd must not see: the
 * key-encryption key and the etcd user's password. The provider supplies their values
 * from the other backends (the backend declares them as its protected entries); they are
 * kept sealed in memory. The backend never looks the provider up.
 */
final class LocalEntries {

    private final Set<KeyringEntry> declared;
    private final MemorySeal seal;
    private final Map<KeyringEntry, SealedSecret> values = new ConcurrentHashMap<>();

    /**
     * @param declared the entries the backend needs its key and password from
     * @param seal what keeps their values encrypted in memory
     */
    LocalEntries(Set<KeyringEntry> declared, MemorySeal seal) {
        this.declared = declared;
        this.seal = seal;
    }

    /** @return whether an entry has not been supplied yet */
    boolean awaited() {
        return !values.keySet().containsAll(declared);
    }

    /** Keeps the value of a declared entry, sealed; any other entry is ignored. */
    void take(KeyringEntry entry, Secret value) {
        if (declared.contains(entry)) {
            values.put(entry, seal.seal(value));
        }
    }

    /** @return the entry's value, or empty while the provider has not supplied it */
    Optional<Secret> get(String service, String username) {
        if (service.isBlank() || username.isBlank()) {
            return Optional.empty();
        }
        SealedSecret sealed = values.get(new KeyringEntry(service, username));
        return sealed == null ? Optional.empty() : Optional.of(seal.open(sealed));
    }
}
