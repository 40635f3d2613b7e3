package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import java.util.List;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.BackendAvailability;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.condition.Condition;

/**
 * Watches the session bus for the Secret Service and holds the OSGi condition {@value
 * #CONDITION} exactly while the service is there and its owner passes the {@link
 * OwnerCheck}, so SCR registers {@link SecretServiceBackend} only then and the provider
 * swaps to and from it. While it is not, a {@link BackendAbsence} says why: for an owner
 * that fails the check, its unique name and its program. A new owner of the service name
 * (a restarted daemon) withdraws the condition and is checked before it is given again,
 * so the backend starts afresh. It listens for {@code NameOwnerChanged} and looks again
 * every few seconds, which also notices a bus that dropped and came back.
 */
@Component(service = {}, configurationPid = SecretServiceBackend.PID, immediate = true)
public final class SecretServiceWatcher implements Runnable {

    static final long RECHECK_MILLIS = 2000;
    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.secretservice";
    private static final String OWNED = "owned by ";
    private static final String ACTIVATABLE = "activatable";
    private static final String REFUSED = "refused: ";

    private final BundleContext context;
    private final String name;
    private final String address;
    private final OwnerCheck owners;
    private final Thread thread;
    private final Object wakeUp = new Object();
    private volatile boolean running = true;
    private String seen;
    private DBusConnection connection;
    private AutoCloseable ownerChanges;
    private ServiceRegistration<?> published;

    @Activate
    public SecretServiceWatcher(BundleContext context, SecretServiceConfig config) {
        this.context = context;
        this.name = config.name();
        this.address = SecretServiceBackend.busAddress(config.bus_address(), System.getenv());
        this.owners = OwnerCheck.of(config);
        // the first look happens while the bundle starts, so a one-shot command finds the backend
        this.seen = observe();
        publish(seen);
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
        withdraw();
    }

    /** Gives the condition while the service is there, else the reason it is not. */
    private synchronized void publish(String state) {
        withdraw();
        String reason = null;
        if (!state.startsWith(OWNED) && !state.equals(ACTIVATABLE)) {
            reason = state.startsWith(REFUSED) ? state.substring(REFUSED.length())
                    : SessionBus.whyUnreachable(address).orElse("The Secret Service on " + address
                    + " went away; Coffer looks for it again every few seconds");
        }
        published = BackendAvailability.publish(context, CONDITION, Condition.INSTANCE, name, reason);
    }

    private synchronized void withdraw() {
        BackendAvailability.withdraw(published);
        published = null;
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
                publish(now);
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
                connection = SessionBus.connect(address);
                ownerChanges = connection.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
                    if (SecretServiceApi.BUS_NAME.equals(signal.name)) {
                        synchronized (wakeUp) {
                            wakeUp.notifyAll();
                        }
                    }
                });
            }
            DBus bus = SessionBus.daemon(connection);
            if (bus.NameHasOwner(SecretServiceApi.BUS_NAME)) {
                BusOwner owner = BusOwner.of(bus);
                return owners.refusal(owner).map(why -> REFUSED + why).orElse(OWNED + owner.uniqueName);
            }
            return List.of(bus.ListActivatableNames()).contains(SecretServiceApi.BUS_NAME) ? ACTIVATABLE : "absent";
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
