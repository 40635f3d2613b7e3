package org.coffer.secretservice.provider.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.Secret;

/**
 * The items of the default collection: Coffer's entries, as Python's keyring lays them
 * out on the Secret Service (attributes {@code service} and {@code username}). Reads go
 * through the provider's chain, writes to its active backend, so every program sees the
 * same secret whichever backend holds it. An item's object path is derived from its
 * service and username, so it stays the same across restarts and swaps of backends.
 */
final class Entries {

    static final String SERVICE = "service";
    static final String USERNAME = "username";
    /** Attributes a client may add that Coffer does not keep: Python's {@code application}, libsecret's schema. */
    static final Set<String> NOT_KEPT = Set.of("application", "xdg:schema");

    private final CredentialProvider provider;
    private final KeyringAdmin admin;
    private final Map<String, KeyringEntry> byPath = new ConcurrentHashMap<>();

    Entries(CredentialProvider provider, KeyringAdmin admin) {
        this.provider = provider;
        this.admin = admin;
    }

    CredentialProvider provider() {
        return provider;
    }

    /** @return the item's object path: a digest of its service and username, the same on every run */
    String path(KeyringEntry entry) {
        String path = pathOf(entry);
        byPath.put(path, entry);
        return path;
    }

    /** @return whether the service handed out or signalled the item at the path */
    boolean known(String path) {
        return byPath.containsKey(path);
    }

    /** @param path an item that was deleted */
    void forget(String path) {
        byPath.remove(path);
    }

    static String pathOf(KeyringEntry entry) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(entry.service().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(entry.username().getBytes(StandardCharsets.UTF_8));
            return BusObjects.COLLECTION + "/i" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** @return the entry at an item's path, if it still exists */
    Optional<KeyringEntry> at(String path) {
        KeyringEntry known = byPath.get(path);
        if (known != null) {
            return exists(known) ? Optional.of(known) : Optional.empty();
        }
        return all().stream().filter(entry -> pathOf(entry).equals(path)).findFirst().map(entry -> {
            byPath.put(path, entry);
            return entry;
        });
    }

    /**
     * @param attributes what a client searches for: any of {@code service} and {@code username}
     * @return the entries that match; none when the search names attributes Coffer does not keep
     */
    List<KeyringEntry> search(Map<String, String> attributes) {
        Map<String, String> wanted = new LinkedHashMap<>(attributes);
        NOT_KEPT.forEach(wanted::remove);
        if (!Set.of(SERVICE, USERNAME).containsAll(wanted.keySet())) {
            return List.of();
        }
        String service = wanted.get(SERVICE);
        String username = wanted.get(USERNAME);
        if (service != null && username != null) {
            KeyringEntry entry = new KeyringEntry(service, username);
            return exists(entry) ? List.of(entry) : List.of();
        }
        List<KeyringEntry> found = new ArrayList<>();
        for (KeyringEntry entry : all()) {
            if ((service == null || service.equals(entry.service()))
                    && (username == null || username.equals(entry.username()))) {
                found.add(entry);
            }
        }
        return found;
    }

    /** @return the entries of every backend of the chain that can list them, each once */
    List<KeyringEntry> all() {
        Set<KeyringEntry> entries = new LinkedHashSet<>();
        for (BackendInfo backend : admin.backends()) {
            try {
                entries.addAll(admin.entries(backend.name()));
            } catch (RuntimeException cannotList) {
                // a locked keyring, one that cannot list, one that left the chain meanwhile: its
                // entries are found by name only
            }
        }
        return new ArrayList<>(entries);
    }

    private boolean exists(KeyringEntry entry) {
        Optional<Secret> secret = provider.get(entry.service(), entry.username());
        secret.ifPresent(Secret::close);
        return secret.isPresent();
    }

    /** @return the item attributes of an entry */
    static Map<String, String> attributes(KeyringEntry entry) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(SERVICE, entry.service());
        attributes.put(USERNAME, entry.username());
        return attributes;
    }

    /** @return whether the collection is locked: the backend writes go to is */
    boolean locked() {
        try {
            return admin.activeBackend().locked();
        } catch (CofferException none) {
            return true;
        }
    }
}
