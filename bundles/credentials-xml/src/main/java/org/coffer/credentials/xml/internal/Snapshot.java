package org.coffer.credentials.xml.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coffer.CredentialEnvironment;
import org.w3c.dom.Element;

/**
 * The credentials as last loaded or saved: the document as it is on disk, and an index
 * by environment and credential id with every password as the file stores it, sealed at
 * its first use. Immutable once built, but for that sealing.
 */
final class Snapshot {

    /** One credential: its user, and its password as the file stores it (never clear text). */
    static final class Entry {
        final String user;
        final StoredPassword password;

        Entry(String user, StoredPassword password) {
            this.user = user;
            this.password = password;
        }
    }

    /** Read only by writers, who hold the repository's lock: a DOM is not safe for concurrent use. */
    final CredentialsModel model;
    final Map<String, CredentialEnvironment> environments;
    final Map<String, Map<String, Entry>> entries;
    final byte[] digest;
    final long modified;

    private Snapshot(CredentialsModel model, Map<String, CredentialEnvironment> environments,
            Map<String, Map<String, Entry>> entries, byte[] digest, long modified) {
        this.model = model;
        this.environments = environments;
        this.entries = entries;
        this.digest = digest;
        this.modified = modified;
    }

    /** No file yet. */
    static Snapshot empty() {
        return new Snapshot(CredentialsModel.empty(), Map.of(), Map.of(), null, -1);
    }

    /**
     * @param model the document as saved, every password encrypted
     * @param passwords the password of each stored value of the document
     */
    static Snapshot of(CredentialsModel model, Map<String, StoredPassword> passwords, byte[] digest, long modified) {
        Map<String, CredentialEnvironment> environments = new LinkedHashMap<>();
        Map<String, Map<String, Entry>> entries = new HashMap<>();
        model.credentials.forEach((environment, credentials) -> {
            Map<String, String> users = new LinkedHashMap<>();
            Map<String, Entry> byId = new HashMap<>(credentials.size() * 4 / 3 + 1);
            credentials.forEach((id, element) -> {
                Entry entry = entry(element, passwords);
                users.put(id, entry.user);
                byId.put(id, entry);
            });
            String description = model.environments.get(environment).getAttribute("description");
            environments.put(environment, new CredentialEnvironment(environment, description, users));
            entries.put(environment, Collections.unmodifiableMap(byId));
        });
        return new Snapshot(model, Collections.unmodifiableMap(environments), Collections.unmodifiableMap(entries),
                digest, modified);
    }

    private static Entry entry(Element credential, Map<String, StoredPassword> passwords) {
        String stored = credential.getAttribute("password");
        StoredPassword password = passwords.get(stored);
        if (password == null || !stored.startsWith(CredentialsModel.ENCRYPTED)) {
            throw new IllegalStateException("A credential was indexed before its password was encrypted and checked");
        }
        return new Entry(credential.getAttribute("user"), password);
    }

    /** The same content, seen on disk at another time. */
    Snapshot modifiedAt(long time) {
        return new Snapshot(model, environments, entries, digest, time);
    }

    /** @return the password of every stored value, so that a reload decrypts nothing this process has seen */
    Map<String, StoredPassword> passwordsByStored() {
        Map<String, StoredPassword> passwords = new HashMap<>();
        entries.values().forEach(credentials -> credentials.values()
                .forEach(entry -> passwords.put(entry.password.stored, entry.password)));
        return passwords;
    }

    /** @return the entry, or {@code null} */
    Entry entry(String environment, String id) {
        Map<String, Entry> credentials = entries.get(environment);
        return credentials == null ? null : credentials.get(id);
    }
}
