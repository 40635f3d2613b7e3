package org.coffer.secretservice.provider.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
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
        KeyringEntry entry = entry();
        entries.provider().delete(entry.service(), entry.username());
        return BusObjects.NONE;
    }

    @Override
    public EncodedSecret GetSecret(DBusPath session) {
        return secret(entry(), session);
    }

    /** @return the entry's secret encoded for the session */
    EncodedSecret secret(KeyringEntry entry, DBusPath session) {
        Optional<Secret> value = entries.provider().get(entry.service(), entry.username());
        if (value.isEmpty()) {
            throw BusObjects.noSuchObject(entries.path(entry));
        }
        try (Secret secret = value.get()) {
            return sessions.encode(session, secret);
        }
    }

    @Override
    public void SetSecret(EncodedSecret secret) {
        KeyringEntry entry = entry();
        try (Secret value = sessions.decode(secret)) {
            entries.provider().set(entry.service(), entry.username(), value);
        }
    }

    @Override
    public <A> void Set(String iface, String name, A value) {
        if (!"Label".equals(name)) {
            throw BusObjects.error("org.freedesktop.DBus.Error.PropertyReadOnly", "Coffer keeps an item's "
                    + Entries.SERVICE + " and " + Entries.USERNAME + " as its attributes; " + name + " cannot change");
        }
        entry(); // the label is made from the entry: accepted, and not kept
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        KeyringEntry entry = entry();
        Map<String, Variant<?>> all = new LinkedHashMap<>();
        all.put("Locked", new Variant<>(entries.locked()));
        all.put("Attributes", BusObjects.attributes(Entries.attributes(entry)));
        all.put("Label", new Variant<>("Password for '" + entry.username() + "' on '" + entry.service() + "'"));
        all.put("Type", new Variant<>("org.freedesktop.Secret.Generic"));
        all.put("Created", new Variant<>(new UInt64(0)));
        all.put("Modified", new Variant<>(new UInt64(0)));
        return all;
    }

    @Override
    public String getObjectPath() {
        return BusObjects.COLLECTION;
    }
}
