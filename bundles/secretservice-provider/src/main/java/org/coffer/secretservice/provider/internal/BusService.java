package org.coffer.secretservice.provider.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coffer.CredentialProvider;
import org.coffer.KeyringAdmin;
import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt32;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Coffer on the bus: while configured (PID {@value #PID}), it owns
 * {@code org.freedesktop.secrets} on the session bus and serves it from the provider
 * chain, and registers a service with the property {@value #SERVING} (the bus) that the
 * launcher waits for. When another program owns the name, or there is no bus, it says so
 * on standard error, naming the program, and serves nothing.
 */
@Component(service = {}, configurationPid = BusService.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SecretServiceProviderConfig.class)
public final class BusService {

    static final String PID = "org.coffer.secretservice.provider";
    /** {@code DBUS_NAME_FLAG_DO_NOT_QUEUE}: own the name now, or not at all. */
    private static final UInt32 DO_NOT_QUEUE = new UInt32(4);
    private static final long PRIMARY_OWNER = 1;

    static final String SERVING = "coffer.secretservice.bus";

    private final DBusConnection connection;
    private final ServiceRegistration<Object> serving;
    private final ServiceRegistration<EventHandler> signals;

    @Activate
    public BusService(@Reference CredentialProvider provider, @Reference KeyringAdmin admin,
            SecretServiceProviderConfig config, BundleContext context) {
        String address = config.bus_address().isBlank() ? System.getenv("DBUS_SESSION_BUS_ADDRESS")
                : config.bus_address();
        DBusConnection served = null;
        ServiceRegistration<Object> registration = null;
        ServiceRegistration<EventHandler> changes = null;
        try {
            if (address == null || address.isBlank()) {
                throw new IllegalStateException("no session bus: DBUS_SESSION_BUS_ADDRESS is not set and " + PID
                        + " names no bus.address");
            }
            served = DBusConnectionBuilder.forAddress(address).withShared(false).build();
            Entries entries = new Entries(provider, admin, new BusPeers(served));
            serve(served, address, entries, admin, config.label());
            changes = context.registerService(EventHandler.class, new ChangeSignals(served, entries),
                    new java.util.Hashtable<>(java.util.Map.of(EventConstants.EVENT_TOPIC, ChangeSignals.TOPICS)));
            registration = context.registerService(Object.class, new Object(),
                    new java.util.Hashtable<>(java.util.Map.of(SERVING, address)));
        } catch (DBusException | RuntimeException e) {
            System.err.println("coffer: the Secret Service is not served: " + e.getMessage());
            if (changes != null) {
                changes.unregister();
                changes = null;
            }
            if (served != null) {
                try {
                    served.close();
                } catch (IOException closing) {
                    // it is not served either way
                }
                served = null;
            }
        }
        connection = served;
        serving = registration;
        signals = changes;
    }

    /** Exports the objects, then claims the name; the caller closes the connection on a failure. */
    private static void serve(DBusConnection connection, String address, Entries entries, KeyringAdmin admin,
            String label) throws DBusException {
        Sessions sessions = new Sessions(connection);
        connection.exportObject(BusObjects.SERVICE, new ServiceObject(entries, sessions, admin));
        connection.exportObject(BusObjects.COLLECTION, new CollectionObject(BusObjects.COLLECTION, entries, sessions, label));
        connection.exportObject(BusObjects.ALIAS, new CollectionObject(BusObjects.ALIAS, entries, sessions, label));
        connection.addFallback(BusObjects.COLLECTION, new ItemObject(entries, sessions));
        DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        UInt32 reply = bus.RequestName(SecretServiceApi.BUS_NAME, DO_NOT_QUEUE);
        if (reply.longValue() != PRIMARY_OWNER) {
            throw new IllegalStateException(SecretServiceApi.BUS_NAME + " is owned by " + owner(bus) + " on " + address);
        }
    }

    /** @return the program that owns the name, as far as the bus tells */
    private static String owner(DBus bus) {
        try {
            String unique = bus.GetNameOwner(SecretServiceApi.BUS_NAME);
            long pid = bus.GetConnectionUnixProcessID(unique).longValue();
            Path exe = Path.of("/proc", Long.toString(pid), "exe");
            String program = Files.isSymbolicLink(exe) ? Files.readSymbolicLink(exe).toString() : "an unknown program";
            return program + " (process " + pid + ", " + unique + ")";
        } catch (IOException | RuntimeException unknown) {
            return "another program";
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        if (serving != null) {
            serving.unregister();
            signals.unregister();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
