package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.coffer.backend.secretservice.protocol.TransportCipher;

import static org.coffer.backend.secretservice.protocol.SecretServiceApi.SERVICE_PATH;

import java.util.function.Function;
import org.coffer.BackendException;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Service;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.Variant;

/**
 * The connection to the <a href="https://specifications.freedesktop.org/secret-service-spec/latest/">freedesktop
 * Secret Service</a> and its retry: one connection and one transport session serve
 * every call; when a call finds them gone (the daemon restarted, the bus dropped), new
 * ones are opened and the call runs once more. Each connection first checks the owner
 * of the service name ({@link OwnerCheck}) and then sends every call to that owner's
 * unique name, and every reply is checked against the type the specification gives
 * ({@link ReplyShape}).
 */
final class SecretServiceConnection implements AutoCloseable {

    private final String address;
    private final String algorithm;
    private final OwnerCheck owners;
    private SecretServiceLink link;
    private boolean closed;

    /**
     * A connection opened, with its session, on the first call.
     *
     * @param address the D-Bus address of the session bus
     * @param algorithm the transport: {@link TransportCipher#DH_AES} or {@link TransportCipher#PLAIN}
     * @param owners which owners of the service name are sent anything
     * @throws IllegalArgumentException if the transport algorithm is unknown
     */
    SecretServiceConnection(String address, String algorithm, OwnerCheck owners) {
        this.address = address;
        this.algorithm = algorithm;
        this.owners = owners;
        new TransportCipher.Offer(algorithm); // rejects an unknown algorithm early
    }

    String address() {
        return address;
    }

    String algorithm() {
        return algorithm;
    }

    /** @return the open link, opened now if there is none or it dropped */
    synchronized SecretServiceLink link() {
        if (closed) {
            throw new BackendException("The Secret Service backend was stopped");
        }
        if (link != null && link.connection.isConnected()) {
            return link;
        }
        forget(link);
        link = null;
        DBusConnection connection = null;
        try {
            connection = SessionBus.connect(address);
            // every call goes to the unique name of an owner that passed the check, never to the
            // well-known name, which another process could take over in between
            String owner = owners.pin(connection);
            Service service = ReplyShape.checked(Service.class,
                    connection.getRemoteObject(owner, SERVICE_PATH, Service.class));
            TransportCipher.Offer offer = new TransportCipher.Offer(algorithm);
            Pair<Variant<?>, DBusPath> opened = service.OpenSession(offer.algorithm, offer.input());
            link = new SecretServiceLink(owner, connection, service, opened.second, offer.accept(opened.first));
            return link;
        } catch (BackendException e) {
            connection.disconnect();
            throw e;
        } catch (DBusException | RuntimeException e) {
            if (connection != null) {
                connection.disconnect();
            }
            String why = SessionBus.whyUnreachable(address).orElse("the Secret Service refused a " + algorithm
                    + " session: " + describe(e));
            throw new BackendException(why, e);
        }
    }

    /** Closes a broken link and forgets it, unless another thread replaced it already. */
    private synchronized void reset(SecretServiceLink broken) {
        if (link == broken) {
            forget(broken);
            link = null;
        }
    }

    /** Disconnects; the service ends the session of a client that left the bus. */
    private static void forget(SecretServiceLink old) {
        if (old != null) {
            old.connection.disconnect();
        }
    }

    /**
     * Runs a call; if the connection or session went stale, opens new ones and runs it once more.
     *
     * @param what what the call does, for messages ("read 'USER' of 'SERVICE'")
     * @throws BackendException if the service is unreachable, fails the call or answers with a reply of the wrong shape
     */
    <T> T call(String what, Function<SecretServiceLink, T> body) {
        SecretServiceLink current = link();
        try {
            return body.apply(current);
        } catch (DBusExecutionException e) {
            if (!stale(e)) {
                throw failure(what, e);
            }
            reset(current);
        } catch (ClassCastException e) {
            throw malformed(what, e);
        }
        try {
            return body.apply(link());
        } catch (DBusExecutionException e) {
            throw failure(what, e);
        } catch (ClassCastException e) {
            throw malformed(what, e);
        }
    }

    /** The last line behind {@link ReplyShape}: a reply of a shape Coffer cannot read is an error, never a crash. */
    private BackendException malformed(String what, ClassCastException e) {
        return new BackendException("The Secret Service at " + address + " answered with a reply of the wrong shape"
                + " when asked to " + what + "; Coffer does not use such a reply", e);
    }

    private static boolean stale(DBusExecutionException e) {
        String type = String.valueOf(e.getType());
        return !type.startsWith("org.freedesktop.Secret.Error.IsLocked") && !type.endsWith(".AccessDenied");
    }

    private BackendException failure(String what, DBusExecutionException e) {
        // D-Bus error messages name objects and reasons, never values
        return new BackendException("The Secret Service at " + address + " failed to " + what + ": " + describe(e), e);
    }

    private static String describe(Exception e) {
        if (e instanceof DBusExecutionException && ((DBusExecutionException) e).getType() != null) {
            return ((DBusExecutionException) e).getType() + ": " + e.getMessage();
        }
        return e.getMessage();
    }

    @Override
    public synchronized void close() {
        closed = true;
        forget(link);
        link = null;
    }
}
