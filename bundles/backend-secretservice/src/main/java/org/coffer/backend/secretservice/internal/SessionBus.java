package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import static org.coffer.backend.secretservice.protocol.SecretServiceApi.BUS_NAME;

import java.util.List;
import java.util.Optional;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;

/** Connections to the D-Bus session bus, and why the Secret Service cannot be reached on one. */
final class SessionBus {

    /** How long a connection to the bus is tried: two attempts. */
    static final int CONNECT_MILLIS = 1000;

    private SessionBus() {
    }

    /**
     * Checks that a bus is reachable at an address and the Secret Service is on it.
     *
     * @return empty when it is, else what is missing, in a sentence
     */
    static Optional<String> whyUnreachable(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of("No D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set (and no bus.address is"
                    + " configured). Start Coffer inside a D-Bus session (dbus-run-session, or a desktop or"
                    + " systemd user session)");
        }
        if (address.contains("unix:abstract=")) {
            return Optional.of("The D-Bus session bus " + address + " listens on an abstract socket, which Java"
                    + " cannot open; run the bus on a socket file (unix:path=..., as systemd and dbus-run-session do)");
        }
        try (DBusConnection connection = connect(address)) {
            DBus bus = daemon(connection);
            if (bus.NameHasOwner(BUS_NAME) || List.of(bus.ListActivatableNames()).contains(BUS_NAME)) {
                return Optional.empty();
            }
            return Optional.of("No Secret Service on the D-Bus session bus " + address + ": nothing owns "
                    + BUS_NAME + " and no service file makes it activatable. Start one, for example"
                    + " 'echo PASSWORD | gnome-keyring-daemon --unlock --components=secrets'");
        } catch (DBusException | java.io.IOException | RuntimeException e) {
            // dbus-java reports a missing socket file with an unchecked exception of its transport
            return Optional.of("Cannot connect to the D-Bus session bus at " + address + ": " + e.getMessage());
        }
    }

    static DBusConnection connect(String address) throws DBusException {
        // a socket file that is not there will not appear in the next seconds: dbus-java
        // would otherwise retry for its default ten seconds before it says so
        return DBusConnectionBuilder.forAddress(address).withShared(false)
                .transportConfig().withTimeout(CONNECT_MILLIS).back().build();
    }

    /** @return the bus daemon itself, which tells who owns a name and which process that is */
    static DBus daemon(DBusConnection connection) throws DBusException {
        return connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
    }
}
