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
    private final OtherItems others;
    private final BusPeers peers;

    /**
     * @param provider Coffer's provider, as this bundle's caller
     * @param peers who calls, for the audit; null outside a bus (tests of the mapping)
     */
    Entries(CredentialProvider provider, KeyringAdmin admin, BusPeers peers) {
        this.provider = provider;
        this.admin = admin;
        this.peers = peers;
        this.others = new OtherItems(this::provider);
    }

    /** @return the provider for the bus client of the call this thread serves: its audit names the client */
    CredentialProvider provider() {
        String peer = peers == null ? null : peers.current();
        return peer == null ? provider : provider.forPeer(peer);
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

    /** @return the entry at an item's path: one the service handed out, or one that exists now */
    Optional<KeyringEntry> at(String path) {
        KeyringEntry known = byPath.get(path);
        if (known != null) {
            // a deleted item's path is forgotten when its deletion is signalled; reading its
            // secret says it is gone meanwhile
            return Optional.of(known);
        }
        return all().stream().filter(entry -> pathOf(entry).equals(path)).findFirst().map(entry -> {
            byPath.put(path, entry);
            return entry;
        });
    }

    /**
     * @param attributes what a client searches for: some of an item's attributes
     * @return the items that have them all: entries when the search names only {@code service} and
     *         {@code username}, and the items of other attributes
     */
    List<KeyringEntry> search(Map<String, String> attributes) {
        Map<String, String> wanted = new LinkedHashMap<>(attributes);
        NOT_KEPT.forEach(wanted::remove);
        boolean entryLayout = Set.of(SERVICE, USERNAME).containsAll(wanted.keySet());
        String service = wanted.get(SERVICE);
        String username = wanted.get(USERNAME);
        if (entryLayout && service != null && username != null) {
            KeyringEntry entry = new KeyringEntry(service, username);
            if (exists(entry)) {
                return List.of(entry);
            }
        }
        List<KeyringEntry> all = all();
        List<KeyringEntry> found = new ArrayList<>();
        if (entryLayout) {
            for (KeyringEntry entry : all) {
                if (!OtherItems.isOther(entry) && (service == null || service.equals(entry.service()))
                        && (username == null || username.equals(entry.username()))) {
                    found.add(entry);
                }
            }
        }
        found.addAll(others.search(all, attributes));
        return found;
    }

    /**
     * Keeps an item: the entry (service, username) when those are its attributes and its
     * secret is text, else an item of other attributes ({@link OtherItems}).
     *
     * @return the item's entry
     */
    KeyringEntry put(Map<String, String> attributes, String label, byte[] value, String contentType) {
        Map<String, String> kept = new LinkedHashMap<>(attributes);
        NOT_KEPT.forEach(kept::remove);
        if (kept.keySet().equals(Set.of(SERVICE, USERNAME)) && OtherItems.isText(value)
                && !ItemMeta.SERVICE.equals(kept.get(SERVICE)) && !ItemMeta.META_SERVICE.equals(kept.get(SERVICE))) {
            KeyringEntry entry = new KeyringEntry(kept.get(SERVICE), kept.get(USERNAME));
            char[] text = OtherItems.text(value);
            try (Secret secret = Secret.of(text)) {
                provider().set(entry.service(), entry.username(), secret);
            } finally {
                java.util.Arrays.fill(text, '\0');
            }
            return entry;
        }
        return others.put(attributes, label, value, contentType);
    }

    /** @return the item's secret as bytes, with its content type; empty when it is gone */
    Optional<Map.Entry<byte[], String>> secret(KeyringEntry entry) {
        Optional<ItemMeta> meta = others.meta(entry);
        if (meta.isPresent()) {
            return others.secret(entry, meta.get()).map(bytes -> Map.entry(bytes, meta.get().contentType));
        }
        Optional<Secret> value = provider().get(entry.service(), entry.username());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try (Secret secret = value.get()) {
            char[] chars = secret.chars();
            try {
                return Optional.of(Map.entry(OtherItems.bytes(chars), "text/plain"));
            } finally {
                java.util.Arrays.fill(chars, '\0');
            }
        }
    }

    void delete(KeyringEntry entry) {
        if (OtherItems.isOther(entry)) {
            others.delete(entry);
        } else {
            provider().delete(entry.service(), entry.username());
        }
    }

    /** @return the item's attributes: its service and username, or those an item of other attributes keeps */
    Map<String, String> attributes(KeyringEntry entry) {
        return others.meta(entry).map(meta -> meta.attributes).orElseGet(() -> {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put(SERVICE, entry.service());
            attributes.put(USERNAME, entry.username());
            return attributes;
        });
    }

    /** @return the item's label: the one it was given, or one made from the entry */
    String label(KeyringEntry entry) {
        return others.meta(entry).map(meta -> meta.label)
                .orElse("Password for '" + entry.username() + "' on '" + entry.service() + "'");
    }

    /** @return the entries of every backend of the chain that can list them, each once */
    List<KeyringEntry> all() {
        Set<KeyringEntry> entries = new LinkedHashSet<>();
        for (BackendInfo backend : admin.backends()) {
            try {
                for (KeyringEntry entry : admin.entries(backend.name())) {
                    if (!ItemMeta.META_SERVICE.equals(entry.service())) {
                        entries.add(entry); // a companion is part of its item, not an item
                    }
                }
            } catch (RuntimeException cannotList) {
                // a locked keyring, one that cannot list, one that left the chain meanwhile: its
                // entries are found by name only
            }
        }
        return new ArrayList<>(entries);
    }

    private boolean exists(KeyringEntry entry) {
        Optional<Secret> secret = provider().get(entry.service(), entry.username());
        secret.ifPresent(Secret::close);
        return secret.isPresent();
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
