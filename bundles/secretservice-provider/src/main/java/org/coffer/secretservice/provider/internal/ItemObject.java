package org.coffer.secretservice.provider.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.coffer.KeyringEntry;
import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.EncodedSecret;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * Every item of the default collection, as one handler for the paths under the
 * collection's: the path of the call names the entry ({@link Entries#path}).
 */
final class ItemObject extends PropertiesObject implements SecretServiceApi.Item {

    private final Entries entries;
    private final Sessions sessions;

    ItemObject(Entries entries, Sessions sessions) {
        this.entries = entries;
        this.sessions = sessions;
    }

    private KeyringEntry entry() {
        String path = AbstractConnectionBase.getCallInfo().getObjectPath();
        return entries.at(path).orElseThrow(() -> BusObjects.noSuchObject(path));
    }

    @Override
    public DBusPath Delete() {
        entries.delete(entry());
        return BusObjects.NONE;
    }

    @Override
    public EncodedSecret GetSecret(DBusPath session) {
        return secret(entry(), session);
    }

    /** @return the item's secret encoded for the session */
    EncodedSecret secret(KeyringEntry entry, DBusPath session) {
        Map.Entry<byte[], String> value = entries.secret(entry)
                .orElseThrow(() -> BusObjects.noSuchObject(entries.path(entry)));
        try {
            return sessions.encode(session, value.getKey(), value.getValue());
        } finally {
            Arrays.fill(value.getKey(), (byte) 0);
        }
    }

    /** A new secret for the item, under the same attributes and label. */
    @Override
    public void SetSecret(EncodedSecret secret) {
        KeyringEntry entry = entry();
        byte[] value = sessions.decode(secret);
        try {
            entries.put(entries.attributes(entry), entries.label(entry), value,
                    secret.contentType == null || secret.contentType.isEmpty() ? "text/plain" : secret.contentType);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public <A> void Set(String iface, String name, A value) {
        if (!"Label".equals(name)) {
            throw BusObjects.error("org.freedesktop.DBus.Error.PropertyReadOnly", "an item's attributes are its"
                    + " identity in Coffer: " + name + " cannot change; create an item with the new ones");
        }
        entry(); // the label is made from the entry: accepted, and not kept
    }

    @Override
    List<String> names() {
        return List.of("Locked", "Attributes", "Label", "Type", "Created", "Modified");
    }

    @Override
    Variant<?> property(String name) {
        KeyringEntry entry = entry(); // an item that is gone has no properties
        switch (name) {
            case "Locked":
                return new Variant<>(entries.locked());
            case "Attributes":
                return BusObjects.attributes(entries.attributes(entry));
            case "Label":
                return new Variant<>(entries.label(entry));
            case "Type":
                return new Variant<>("org.freedesktop.Secret.Generic");
            case "Created":
            case "Modified":
                return new Variant<>(new UInt64(0));
            default:
                return null;
        }
    }

    @Override
    public String getObjectPath() {
        return BusObjects.COLLECTION;
    }
}
