package org.coffer.backend.wincred.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Credential Manager's behaviour for generic credentials where Windows cannot run:
 * one credential per target, target names compared without regard to case (as
 * Windows does), every read a copy.
 */
final class MemoryCredentialStore implements CredentialStore {

    private final Map<String, StoredCredential> credentials = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    @Override
    public synchronized Optional<StoredCredential> read(String target) {
        return Optional.ofNullable(credentials.get(target)).map(MemoryCredentialStore::copy);
    }

    @Override
    public synchronized void write(StoredCredential credential) {
        credentials.put(credential.target, copy(credential));
    }

    @Override
    public synchronized boolean delete(String target) {
        return credentials.remove(target) != null;
    }

    @Override
    public synchronized List<StoredCredential> enumerate() {
        List<StoredCredential> all = new ArrayList<>();
        credentials.values().forEach(c -> all.add(copy(c)));
        return all;
    }

    private static StoredCredential copy(StoredCredential c) {
        return new StoredCredential(c.target, c.username, c.blob, c.comment, c.persist);
    }
}
