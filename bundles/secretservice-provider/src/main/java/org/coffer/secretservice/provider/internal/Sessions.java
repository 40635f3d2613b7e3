package org.coffer.secretservice.provider.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.EncodedSecret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.coffer.backend.secretservice.protocol.TransportCipher;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.Variant;

/**
 * The clients' sessions: {@code plain}, or {@code dh-ietf1024-sha256-aes128-cbc-pkcs7},
 * where a Diffie-Hellman exchange makes an AES key and no secret crosses the bus in clear.
 * Each is an object ({@code Close}) that lives until its client closes it or leaves the
 * bus (Python's keyring opens one per call and never closes it).
 */
final class Sessions {

    private final DBusConnection connection;
    private final Map<String, TransportCipher> open = new ConcurrentHashMap<>();
    /** The sessions of each client, by its unique name on the bus. */
    private final Map<String, java.util.Set<String>> byClient = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    Sessions(DBusConnection connection) throws DBusException {
        this.connection = connection;
        connection.addSigHandler(org.freedesktop.dbus.interfaces.DBus.NameOwnerChanged.class, changed -> {
            if (changed.newOwner.isEmpty() && changed.name.equals(changed.oldOwner)) {
                java.util.Set<String> left = byClient.remove(changed.name);
                if (left != null) {
                    left.forEach(this::close);
                }
            }
        });
    }

    /** @return how many sessions are open */
    int size() {
        return open.size();
    }

    private void close(String path) {
        if (open.remove(path) != null) {
            connection.unExportObject(path);
        }
    }

    Pair<Variant<?>, DBusPath> open(String algorithm, Variant<?> input) {
        TransportCipher.Offer offer;
        try {
            offer = new TransportCipher.Offer(algorithm);
        } catch (IllegalArgumentException unknown) {
            throw BusObjects.notSupported("Coffer's Secret Service offers the algorithms " + TransportCipher.DH_AES
                    + " and " + TransportCipher.PLAIN + ", not " + algorithm);
        }
        TransportCipher cipher;
        try {
            cipher = offer.accept(input);
        } catch (RuntimeException badKey) {
            throw BusObjects.error("org.freedesktop.DBus.Error.InvalidArgs", badKey.getMessage());
        }
        String path = BusObjects.SESSIONS + "s" + next.incrementAndGet();
        open.put(path, cipher);
        String client = org.freedesktop.dbus.connections.base.AbstractConnectionBase.getCallInfo().getSource();
        byClient.computeIfAbsent(client, name -> ConcurrentHashMap.newKeySet()).add(path);
        try {
            connection.exportObject(path, new SessionObject(path));
        } catch (DBusException e) {
            open.remove(path);
            throw BusObjects.error("org.freedesktop.DBus.Error.Failed", "cannot open a session: " + e.getMessage());
        }
        return new Pair<>(offer.input(), new DBusPath(path));
    }

    private TransportCipher cipher(DBusPath session) {
        TransportCipher cipher = open.get(session.getPath());
        if (cipher == null) {
            throw BusObjects.error("org.freedesktop.Secret.Error.NoSession", "No such session: " + session.getPath());
        }
        return cipher;
    }

    /** @return the bytes encoded for the session, with their content type; the caller clears the bytes */
    EncodedSecret encode(DBusPath session, byte[] value, String contentType) {
        EncodedSecret encoded = cipher(session).encode(session, value);
        return new EncodedSecret(encoded.session, encoded.parameters, encoded.value, contentType);
    }

    /** @return the bytes a client sent; the caller clears them */
    byte[] decode(EncodedSecret encoded) {
        return cipher(encoded.session).decode(encoded);
    }

    /** The object of one session. */
    private final class SessionObject implements SecretServiceApi.Session {

        private final String path;

        SessionObject(String path) {
            this.path = path;
        }

        @Override
        public void Close() {
            byClient.values().forEach(paths -> paths.remove(path));
            close(path);
        }

        @Override
        public String getObjectPath() {
            return path;
        }
    }
}
