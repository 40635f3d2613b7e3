package org.coffer.secretservice.provider.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.coffer.KeyringEntry;
import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.EncodedSecret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * The collection {@code default}: Coffer's provider chain. It is exported twice, at its
 * own path and at the alias {@code /org/freedesktop/secrets/aliases/default} where
 * Python's keyring and libsecret look for it.
 */
final class CollectionObject extends PropertiesObject implements SecretServiceApi.Collection {

    private final String path;
    private final Entries entries;
    private final Sessions sessions;
    private final String label;

    CollectionObject(String path, Entries entries, Sessions sessions, String label) {
        this.path = path;
        this.entries = entries;
        this.sessions = sessions;
        this.label = label;
    }

    @Override
    public List<DBusPath> SearchItems(Map<String, String> attributes) {
        return entries.search(attributes).stream().map(entry -> new DBusPath(entries.path(entry)))
                .collect(Collectors.toList());
    }

    /**
     * Keeps the item in the chain ({@link Entries#put}). There is one item per set of
     * attributes, so an item created without {@code replace} replaces it too.
     */
    @Override
    public Pair<DBusPath, DBusPath> CreateItem(Map<String, Variant<?>> properties, EncodedSecret secret,
            boolean replace) {
        Variant<?> attributes = properties.get(BusObjects.ITEM_ATTRIBUTES);
        if (attributes == null || !(attributes.getValue() instanceof Map)) {
            throw BusObjects.error("org.freedesktop.DBus.Error.InvalidArgs", "an item needs attributes");
        }
        Map<String, String> given = new LinkedHashMap<>();
        ((Map<?, ?>) attributes.getValue()).forEach((key, value) -> given.put(String.valueOf(key), String.valueOf(value)));
        Variant<?> label = properties.get(BusObjects.ITEM_LABEL);
        byte[] value = sessions.decode(secret);
        try {
            KeyringEntry entry = entries.put(given, label == null ? "" : String.valueOf(label.getValue()), value,
                    secret.contentType == null || secret.contentType.isEmpty() ? "text/plain" : secret.contentType);
            return new Pair<>(new DBusPath(entries.path(entry)), BusObjects.NONE);
        } finally {
            java.util.Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public DBusPath Delete() {
        throw BusObjects.notSupported("the default collection is Coffer's keyrings; it cannot be deleted");
    }

    @Override
    List<String> names() {
        return List.of("Items", "Label", "Locked", "Created", "Modified");
    }

    @Override
    Variant<?> property(String name) {
        switch (name) {
            case "Items":
                return BusObjects.paths(entries.all().stream().map(entries::path).collect(Collectors.toList()));
            case "Label":
                return new Variant<>(label);
            case "Locked":
                return new Variant<>(entries.locked());
            case "Created":
            case "Modified":
                return new Variant<>(new UInt64(0));
            default:
                return null;
        }
    }

    @Override
    public String getObjectPath() {
        return path;
    }
}
