package org.coffer.crypto.internal;

import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.support.MemorySeal;
import org.coffer.spi.support.SealedSecret;

/**
 * The master password that the provider supplied from its keyring entry, kept sealed in
 * memory until the key is first used. The master key never looks the provider up.
 */
final class SuppliedPassword {

    private final KeyringEntry entry;
    private final MemorySeal seal = new MemorySeal();
    private volatile SealedSecret sealed;

    /** @param entry the entry that holds the master password */
    SuppliedPassword(KeyringEntry entry) {
        this.entry = entry;
    }

    /** @return whether the provider has supplied nothing yet */
    boolean awaited() {
        return sealed == null;
    }

    /** Keeps the value of the entry, sealed; an entry that is not the master password's is ignored. */
    void take(KeyringEntry supplied, Secret value) {
        if (entry.equals(supplied)) {
            sealed = seal.seal(value);
        }
    }

    /** @return the master password (the caller clears it), or {@code null} while none was supplied */
    char[] chars() {
        SealedSecret current = sealed;
        if (current == null) {
            return null;
        }
        try (Secret password = seal.open(current)) {
            return password.chars();
        }
    }
}
