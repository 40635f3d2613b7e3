package org.coffer.eclipse.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.coffer.KeyringEntry;
import org.coffer.spi.ProtectedEntries;

/**
 * The entries that hold master passwords, declared to Coffer so that no configuration
 * reference ever resolves one: the default storage's, and each storage's this framework
 * opened.
 */
final class StorageEntries implements ProtectedEntries {

    private final Set<KeyringEntry> entries = ConcurrentHashMap.newKeySet();

    StorageEntries() {
        try {
            add(CofferPasswordProvider.defaultStorage().toFile().getCanonicalPath());
        } catch (IOException e) {
            add(CofferPasswordProvider.defaultStorage().toAbsolutePath().toString());
        }
    }

    /** @param storage a storage file's canonical path, whose entries are now declared */
    void add(String storage) {
        entries.add(MasterPasswords.entry(storage));
        entries.add(MasterPasswords.previousEntry(storage));
    }

    @Override
    public Set<KeyringEntry> protectedEntries() {
        return Set.copyOf(entries);
    }
}
