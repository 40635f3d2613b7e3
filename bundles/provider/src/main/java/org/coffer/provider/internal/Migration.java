package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;

/**
 * {@code keyring:migrate FROM TO}: copies every entry the source can list, verifies each
 * copy, and only then, on request, deletes the source's entries. The source stays
 * complete until every copy reads back equal.
 */
final class Migration {

    private final BackendChain chain;

    Migration(BackendChain chain) {
        this.chain = chain;
    }

    /**
     * @param from the source backend's name
     * @param to the target backend's name
     * @param deleteSource whether to delete the source's entries once every copy is verified
     * @param progress hears of each entry copied
     * @return the entries copied
     * @throws IllegalArgumentException if a backend is unknown, both are one, or the source cannot list
     * @throws BackendException if a copy failed; nothing was deleted
     */
    List<KeyringEntry> run(String from, String to, boolean deleteSource, KeyringAdmin.Progress progress) {
        KeyringBackend source = chain.named(from).backend;
        KeyringBackend target = chain.named(to).backend;
        if (source == target) {
            throw new IllegalArgumentException("Migrating needs two different backends");
        }
        if (!source.canEnumerate()) {
            throw new IllegalArgumentException("The backend '" + from + "' cannot list its entries, so it cannot be migrated");
        }
        List<KeyringEntry> entries = source.entries();
        List<String> failures = new ArrayList<>();
        int done = 0;
        progress.entries(done, entries.size());
        for (KeyringEntry entry : entries) {
            Optional<Secret> value = source.get(entry.service(), entry.username());
            if (value.isEmpty()) {
                failures.add(entry + " could not be read from " + from);
                continue;
            }
            String failure = copy(value.get(), target, entry, to);
            if (failure != null) {
                failures.add(failure);
            }
            progress.entries(++done, entries.size());
        }
        if (!failures.isEmpty()) {
            throw new BackendException("Migration from " + from + " to " + to + " incomplete; nothing was deleted from "
                    + from + ". " + String.join("; ", failures));
        }
        if (deleteSource) {
            for (KeyringEntry entry : entries) {
                source.delete(entry.service(), entry.username());
            }
        }
        return entries;
    }

    /** @return why the entry was not copied, or {@code null} when its copy reads back equal */
    private static String copy(Secret value, KeyringBackend target, KeyringEntry entry, String to) {
        try (Secret secret = value) {
            try {
                Keyrings.checkNames(entry.service(), entry.username());
            } catch (IllegalArgumentException e) {
                return entry + " was not copied: " + e.getMessage();
            }
            target.set(entry.service(), entry.username(), secret);
            Optional<Secret> copy = target.get(entry.service(), entry.username());
            try {
                return copy.isPresent() && copy.get().equals(secret) ? null : entry + " did not read back equal from " + to;
            } finally {
                copy.ifPresent(Secret::destroy);
            }
        } catch (RuntimeException e) {
            return entry + ": " + e.getMessage();
        }
    }
}
