package org.coffer.secretservice.provider.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.coffer.CofferException;
import org.coffer.KeyringAdmin;
import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.EncodedSecret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;

/**
 * {@code /org/freedesktop/secrets}: sessions, search over the one collection, locking
 * (Coffer's {@code keyring:lock} of the backend writes go to), and the alias
 * {@code default}. No prompt is ever made: an unlock that needs a password leaves the
 * collection locked, and the client says so.
 */
final class ServiceObject extends PropertiesObject implements SecretServiceApi.Service {

    private final Entries entries;
    private final Sessions sessions;
    private final KeyringAdmin admin;

    ServiceObject(Entries entries, Sessions sessions, KeyringAdmin admin) {
        this.entries = entries;
        this.sessions = sessions;
        this.admin = admin;
    }

    @Override
    public Pair<Variant<?>, DBusPath> OpenSession(String algorithm, Variant<?> input) {
        return sessions.open(algorithm, input);
    }

    @Override
    public Pair<DBusPath, DBusPath> CreateCollection(Map<String, Variant<?>> properties, String alias) {
        if ("default".equals(alias)) {
            return new Pair<>(new DBusPath(BusObjects.COLLECTION), BusObjects.NONE);
        }
        throw BusObjects.notSupported("Coffer serves one collection, 'default' (its keyrings); it makes no other");
    }

    @Override
    public Pair<List<DBusPath>, List<DBusPath>> SearchItems(Map<String, String> attributes) {
        List<DBusPath> found = entries.search(attributes).stream().map(entry -> new DBusPath(entries.path(entry)))
                .collect(Collectors.toList());
        return entries.locked() ? new Pair<>(List.of(), found) : new Pair<>(found, List.of());
    }

    @Override
    public Pair<List<DBusPath>, DBusPath> Unlock(List<DBusPath> objects) {
        return new Pair<>(entries.locked() ? List.of() : objects, BusObjects.NONE);
    }

    @Override
    public Pair<List<DBusPath>, DBusPath> Lock(List<DBusPath> objects) {
        try {
            admin.lock(admin.activeBackend().name());
        } catch (CofferException | UnsupportedOperationException cannotLock) {
            return new Pair<>(List.of(), BusObjects.NONE);
        }
        return new Pair<>(objects, BusObjects.NONE);
    }

    @Override
    public Map<DBusPath, EncodedSecret> GetSecrets(List<DBusPath> requested, DBusPath session) {
        Map<DBusPath, EncodedSecret> secrets = new LinkedHashMap<>();
        for (DBusPath item : requested) {
            entries.at(item.getPath()).flatMap(entry -> entries.secret(entry)).ifPresent(value -> {
                try {
                    secrets.put(item, sessions.encode(session, value.getKey(), value.getValue()));
                } finally {
                    java.util.Arrays.fill(value.getKey(), (byte) 0);
                }
            });
        }
        return secrets;
    }

    @Override
    public DBusPath ReadAlias(String name) {
        return "default".equals(name) ? new DBusPath(BusObjects.COLLECTION) : BusObjects.NONE;
    }

    @Override
    public void SetAlias(String name, DBusPath collection) {
        throw BusObjects.notSupported("Coffer's one collection is 'default'; its aliases do not change");
    }

    @Override
    List<String> names() {
        return List.of("Collections");
    }

    @Override
    Variant<?> property(String name) {
        return "Collections".equals(name) ? BusObjects.paths(List.of(BusObjects.COLLECTION)) : null;
    }

    @Override
    public String getObjectPath() {
        return BusObjects.SERVICE;
    }
}
