package org.coffer.credentials.xml.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coffer.CredentialEnvironment;
import org.w3c.dom.Element;

/**
 * The credentials as last loaded or saved: the file's bytes, and an index by environment
 * and credential id with every password as the file stores it, sealed at its first use.
 * A load builds no DOM: the document is parsed from the bytes when a change needs it.
 * Immutable once built, but for that sealing and the views built at their first use.
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

    /** One environment: its credentials in file order, and its public view, built at its first use. */
    private static final class Environment {
        final String id;
        final String description;
        final Map<String, Entry> entries;
        private volatile CredentialEnvironment view;

        Environment(String id, String description, Map<String, Entry> entries) {
            this.id = id;
            this.description = description;
            this.entries = Collections.unmodifiableMap(entries);
        }

        CredentialEnvironment view() {
            CredentialEnvironment current = view;
            if (current == null) {
                // two first uses at once both build it, alike
                Map<String, String> users = new LinkedHashMap<>(entries.size() * 4 / 3 + 1);
                entries.forEach((id, entry) -> users.put(id, entry.user));
                current = new CredentialEnvironment(id, description, users);
                view = current;
            }
            return current;
        }
    }

    private final Map<String, Environment> environments;
    /** The document as saved, when this process saved it; else parsed from {@link #content} by a change. */
    private final CredentialsModel model;
    /** The file as read or saved, or {@code null} if there is none. */
    private final byte[] content;
    final long modified;

    private Snapshot(Map<String, Environment> environments, CredentialsModel model, byte[] content, long modified) {
        this.environments = environments;
        this.model = model;
        this.content = content;
        this.modified = modified;
    }

    /** No file yet. */
    static Snapshot empty() {
        return new Snapshot(Map.of(), null, null, -1);
    }

    /**
     * @param scan the file as scanned, every password encrypted
     * @param passwords the password of each stored value of the file
     */
    static Snapshot scanned(CredentialsScan scan, Map<String, StoredPassword> passwords, byte[] content,
            long modified) {
        Map<String, Environment> environments = new LinkedHashMap<>();
        scan.environments.forEach((id, environment) -> {
            Map<String, Entry> entries = new LinkedHashMap<>(environment.credentials.size() * 4 / 3 + 1);
            environment.credentials.forEach((credential, scanned) -> entries.put(credential,
                    entry(scanned.user, scanned.password, passwords)));
            environments.put(id, new Environment(id, environment.description, entries));
        });
        return new Snapshot(Collections.unmodifiableMap(environments), null, content, modified);
    }

    /**
     * @param model the document as saved, every password encrypted
     * @param passwords the password of each stored value of the document
     */
    static Snapshot of(CredentialsModel model, Map<String, StoredPassword> passwords, byte[] content, long modified) {
        Map<String, Environment> environments = new LinkedHashMap<>();
        model.credentials.forEach((id, credentials) -> {
            Map<String, Entry> entries = new LinkedHashMap<>(credentials.size() * 4 / 3 + 1);
            credentials.forEach((credential, element) -> entries.put(credential,
                    entry(element.getAttribute("user"), element.getAttribute("password"), passwords)));
            Element environment = model.environments.get(id);
            environments.put(id, new Environment(id, environment.getAttribute("description"), entries));
        });
        return new Snapshot(Collections.unmodifiableMap(environments), model, content, modified);
    }

    private static Entry entry(String user, String stored, Map<String, StoredPassword> passwords) {
        StoredPassword password = passwords.get(stored);
        if (password == null || !stored.startsWith(CredentialsModel.ENCRYPTED)) {
            throw new IllegalStateException("A credential was indexed before its password was encrypted and checked");
        }
        return new Entry(user, password);
    }

    /** @return whether the file held these bytes */
    boolean holds(byte[] bytes) {
        // null-checked first: Jazzer 0.24's hook of Arrays.equals crashes the JVM on a null array
        return content != null && Arrays.equals(content, bytes);
    }

    /** The same content, seen on disk at another time. */
    Snapshot modifiedAt(long time) {
        return new Snapshot(environments, model, content, time);
    }

    /**
     * A document to change, so that this one stays as it is until the change is saved; read
     * only by writers, who hold the repository's lock: a DOM is not safe for concurrent use.
     */
    CredentialsModel modelToChange(Path file) {
        if (model != null) {
            return model.copy();
        }
        if (content == null) {
            return CredentialsModel.empty();
        }
        return CredentialsModel.of(CredentialsXml.parse(file, content));
    }

    /** @return the password of every stored value, so that a reload decrypts nothing this process has seen */
    Map<String, StoredPassword> passwordsByStored() {
        Map<String, StoredPassword> passwords = new HashMap<>();
        environments.values().forEach(environment -> environment.entries.values()
                .forEach(entry -> passwords.put(entry.password.stored, entry.password)));
        return passwords;
    }

    /** @return the entry, or {@code null} */
    Entry entry(String environment, String id) {
        Environment found = environments.get(environment);
        return found == null ? null : found.entries.get(id);
    }

    /** @return the entries of each environment, both in file order */
    Map<String, Map<String, Entry>> entries() {
        Map<String, Map<String, Entry>> entries = new LinkedHashMap<>();
        environments.forEach((id, environment) -> entries.put(id, environment.entries));
        return entries;
    }

    /** @return every environment, in file order */
    List<CredentialEnvironment> environments() {
        List<CredentialEnvironment> views = new ArrayList<>(environments.size());
        environments.values().forEach(environment -> views.add(environment.view()));
        return views;
    }

    /** @return the environment, or {@code null} */
    CredentialEnvironment environment(String id) {
        Environment found = environments.get(id);
        return found == null ? null : found.view();
    }
}
