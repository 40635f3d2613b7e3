package org.coffer.backend.secretservice.internal;

import java.util.List;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Watches the session bus for the Secret Service and re-activates
 * {@link SecretServiceBackend} whenever it appears or goes away, so the backend is
 * registered exactly while it can work and the provider swaps to and from it. It
 * listens for {@code NameOwnerChanged} and looks again every few seconds, which also
 * notices a bus that dropped and came back.
 */
@Component(service = {}, configurationPid = SecretServiceBackend.PID, immediate = true)
public final class SecretServiceWatcher implements Runnable {

    static final long RECHECK_MILLIS = 2000;

    private final ComponentContext context;
    private final String address;
    private final Thread thread;
    private final Object wakeUp = new Object();
    private volatile boolean running = true;
    private String seen;
    private DBusConnection connection;
    private AutoCloseable ownerChanges;

    @Activate
    public SecretServiceWatcher(ComponentContext context, SecretServiceConfig config) {
        this.context = context;
        this.address = SecretServiceBackend.busAddress(config.bus_address(), System.getenv());
        // the backend is enabled from the start, so its first activation happens while its
        // bundle starts and a one-shot command finds it; this is the first look
        this.seen = observe();
        context.enableComponent(SecretServiceBackend.COMPONENT);
        this.thread = new Thread(this, "Coffer Secret Service watcher");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
        disconnect();
        context.disableComponent(SecretServiceBackend.COMPONENT);
    }

    @Override
    public void run() {
        while (running) {
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(RECHECK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            String now = observe();
            if (running && !now.equals(seen)) {
                // activation tells whether the backend can work and, if not, keeps the reason
                context.disableComponent(SecretServiceBackend.COMPONENT);
                context.enableComponent(SecretServiceBackend.COMPONENT);
                seen = now;
            }
        }
    }

    /** @return the state of the bus and the service, as a string that changes when either does */
    private String observe() {
        if (address.isBlank()) {
            return "no bus address";
        }
        try {
            if (connection == null || !connection.isConnected()) {
                disconnect();
                connection = SecretServiceClient.connect(address);
                ownerChanges = connection.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
                    if (SecretServiceApi.BUS_NAME.equals(signal.name)) {
                        synchronized (wakeUp) {
                            wakeUp.notifyAll();
                        }
                    }
                });
            }
            DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            if (bus.NameHasOwner(SecretServiceApi.BUS_NAME)) {
                return "owned by " + bus.GetNameOwner(SecretServiceApi.BUS_NAME);
            }
            return List.of(bus.ListActivatableNames()).contains(SecretServiceApi.BUS_NAME) ? "activatable" : "absent";
        } catch (DBusException | RuntimeException e) {
            // any failure of a dropped bus, whatever dbus-java calls it, means: look again later
            disconnect();
            return "bus unreachable";
        }
    }

    private void disconnect() {
        try {
            closeConnection();
        } catch (RuntimeException alreadyBroken) {
            connection = null;
            ownerChanges = null;
        }
    }

    private void closeConnection() {
        if (ownerChanges != null) {
            try {
                ownerChanges.close();
            } catch (Exception e) {
                // the connection is going away anyway
            }
            ownerChanges = null;
        }
        if (connection != null) {
            connection.disconnect();
            connection = null;
        }
    }
}
