package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Collection;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.EncodedSecret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Item;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.Variant;

/**
 * The items of the Secret Service, laid out as Python's keyring (through SecretStorage)
 * lays them out: attributes {@code service}, {@code username} and {@code application},
 * label {@code Password for 'USER' on 'SERVICE'}, content type {@code text/plain},
 * UTF-8 values, in the collection of the configured alias.
 */
final class SecretServiceItems {

    static final String ITEM_LABEL = "org.freedesktop.Secret.Item.Label";
    static final String ITEM_ATTRIBUTES = "org.freedesktop.Secret.Item.Attributes";

    private final SecretServiceConnection connection;
    private final SecretServiceCollections collections;
    private final String application;
    private final Duration promptTimeout;

    /**
     * @param connection the connection the calls go through
     * @param collections the collection the items live in
     * @param application the {@code application} attribute of the items written
     * @param promptTimeout how long to wait for a person to answer a prompt
     */
    SecretServiceItems(SecretServiceConnection connection, SecretServiceCollections collections, String application,
            Duration promptTimeout) {
        this.connection = connection;
        this.collections = collections;
        this.application = application;
        this.promptTimeout = promptTimeout;
    }

    static Map<String, String> attributes(String service, String username) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("username", username);
        attributes.put("service", service);
        return attributes;
    }

    /**
     * @return the secret of the first item of the collection with this service
     *         and username, unlocking the collection if it must
     */
    Optional<Secret> get(String service, String username) {
        return connection.call("read '" + username + "' of '" + service + "'", l -> {
            String key = service + "\0" + username;
            DBusPath known = l.items.get(key);
            if (known != null) {
                Optional<Secret> secret = secretOf(l, known);
                if (secret.isPresent()) {
                    return secret;
                }
                l.items.remove(key);
            }
            DBusPath collection = collections.collection(l, false);
            if (collection == null) {
                return Optional.empty();
            }
            Pair<List<DBusPath>, List<DBusPath>> found = l.service.SearchItems(attributes(service, username));
            List<DBusPath> unlocked = within(collection, found.first);
            if (unlocked.isEmpty()) {
                List<DBusPath> locked = within(collection, found.second);
                if (locked.isEmpty()) {
                    return Optional.empty();
                }
                collections.unlockAutomatically(l, collection);
                unlocked = locked;
            }
            Map<DBusPath, EncodedSecret> secrets = l.service.GetSecrets(unlocked, l.session);
            for (DBusPath item : unlocked) {
                EncodedSecret secret = secrets.get(item);
                if (secret != null) {
                    l.items.put(key, item);
                    byte[] value = l.cipher.decode(secret);
                    return Optional.of(text(value, item));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The secret of an item found before, if it is still there, unlocked and readable;
     * empty sends the caller back to a search.
     */
    private static Optional<Secret> secretOf(SecretServiceLink l, DBusPath item) {
        EncodedSecret secret;
        try {
            secret = l.service.GetSecrets(List.of(item), l.session).get(item);
        } catch (DBusExecutionException goneOrLocked) {
            return Optional.empty();
        }
        if (secret == null) {
            return Optional.empty();
        }
        return Optional.of(text(l.cipher.decode(secret), item));
    }

    /** A secret's bytes as text, strictly, as Python's keyring decodes them; the bytes are wiped. */
    private static Secret text(byte[] value, DBusPath item) {
        try {
            return Secret.fromUtf8(value);
        } catch (IllegalArgumentException notText) {
            throw new BackendException("The Secret Service item " + item.getPath() + " holds a secret that is not"
                    + " UTF-8 text; Coffer, like Python's keyring, reads text secrets only");
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** Stores a secret as Python's keyring does, replacing every item with the same service and username. */
    void set(String service, String username, Secret secret) {
        connection.call("store '" + username + "' of '" + service + "'", l -> {
            l.items.remove(service + "\0" + username);
            DBusPath collection = collections.unlockedCollection(l, true);
            Map<String, String> attributes = attributes(service, username);
            attributes.put("application", application);
            Map<String, Variant<?>> properties = new LinkedHashMap<>();
            properties.put(ITEM_LABEL, new Variant<>("Password for '" + username + "' on '" + service + "'"));
            properties.put(ITEM_ATTRIBUTES, new Variant<>(attributes, "a{ss}"));
            byte[] value = secret.utf8();
            Pair<DBusPath, DBusPath> created;
            try {
                created = l.remote(collection, Collection.class).CreateItem(properties, l.cipher.encode(l.session, value), true);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
            l.prompt(promptTimeout, created.second);
            // an item another program wrote with other attributes would answer look-ups too
            for (DBusPath item : l.remote(collection, Collection.class).SearchItems(attributes(service, username))) {
                if (!item.getPath().equals(created.first.getPath())) {
                    l.prompt(promptTimeout, l.remote(item, Item.class).Delete());
                }
            }
            return null;
        });
    }

    /** @return whether an item was deleted: every item of the service and username is */
    boolean delete(String service, String username) {
        connection.link().items.remove(service + "\0" + username);
        return connection.call("delete '" + username + "' of '" + service + "'", l -> {
            DBusPath collection = collections.unlockedCollection(l, false);
            if (collection == null) {
                return false;
            }
            List<DBusPath> items = l.remote(collection, Collection.class).SearchItems(attributes(service, username));
            for (DBusPath item : items) {
                l.prompt(promptTimeout, l.remote(item, Item.class).Delete());
            }
            return !items.isEmpty();
        });
    }

    /** @return the first username stored for a service, if any */
    Optional<String> firstUsername(String service) {
        return connection.call("search '" + service + "'", l -> {
            DBusPath collection = collections.unlockedCollection(l, false);
            if (collection == null) {
                return Optional.<String>empty();
            }
            for (DBusPath item : l.remote(collection, Collection.class).SearchItems(Map.of("service", service))) {
                String username = l.itemAttributes(item).get("username");
                if (username != null) {
                    return Optional.of(username);
                }
            }
            return Optional.<String>empty();
        });
    }

    /** @return the service and username of every item of the collection that has both */
    List<KeyringEntry> entries() {
        return connection.call("list the items", l -> {
            List<KeyringEntry> entries = new ArrayList<>();
            DBusPath collection = collections.unlockedCollection(l, false);
            if (collection == null) {
                return entries;
            }
            for (DBusPath item : l.remote(collection, Collection.class).SearchItems(Map.of())) {
                Map<String, String> attributes = l.itemAttributes(item);
                if (attributes.containsKey("service") && attributes.containsKey("username")) {
                    entries.add(new KeyringEntry(attributes.get("service"), attributes.get("username")));
                }
            }
            return entries;
        });
    }

    private static List<DBusPath> within(DBusPath collection, List<DBusPath> items) {
        String prefix = collection.getPath() + "/";
        List<DBusPath> inside = new ArrayList<>();
        for (DBusPath item : items) {
            if (item.getPath().startsWith(prefix)) {
                inside.add(item);
            }
        }
        return inside;
    }
}
