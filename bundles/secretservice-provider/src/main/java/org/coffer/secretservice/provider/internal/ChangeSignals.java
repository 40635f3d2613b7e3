package org.coffer.secretservice.provider.internal;

import org.coffer.KeyringEntry;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Collection;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * The collection's signals for every change of an entry, wherever it was made: the bus,
 * the shell, another bundle, a migration. The provider's audit events
 * ({@code org/coffer/WRITE}, {@code org/coffer/DELETE}) say what changed; an entry the
 * service has handed out or signalled is changed, any other created.
 */
final class ChangeSignals implements EventHandler {

    static final String[] TOPICS = {"org/coffer/WRITE", "org/coffer/DELETE"};

    private final DBusConnection connection;
    private final Entries entries;

    ChangeSignals(DBusConnection connection, Entries entries) {
        this.connection = connection;
        this.entries = entries;
    }

    @Override
    public void handleEvent(Event event) {
        if (!"ok".equals(event.getProperty("outcome"))) {
            return;
        }
        String service = String.valueOf(event.getProperty("service"));
        if (ItemMeta.META_SERVICE.equals(service)) {
            return; // a companion changes with its item, which is signalled
        }
        String username = String.valueOf(event.getProperty("username"));
        KeyringEntry entry = new KeyringEntry(service, username);
        DBusPath item = new DBusPath(Entries.pathOf(entry));
        boolean deleted = event.getTopic().endsWith("/DELETE");
        boolean known = entries.known(item.getPath());
        try {
            for (String collection : new String[] {BusObjects.COLLECTION, BusObjects.ALIAS}) {
                connection.sendMessage(signal(collection, item, deleted, known));
            }
        } catch (DBusException e) {
            // a signal the bus did not take changes nothing for the entry: clients read it again
        }
        if (deleted) {
            entries.forget(item.getPath());
        } else {
            entries.path(entry);
        }
    }

    private static DBusSignal signal(String collection, DBusPath item, boolean deleted, boolean known)
            throws DBusException {
        if (deleted) {
            return new Collection.ItemDeleted(collection, item);
        }
        return known ? new Collection.ItemChanged(collection, item) : new Collection.ItemCreated(collection, item);
    }
}
