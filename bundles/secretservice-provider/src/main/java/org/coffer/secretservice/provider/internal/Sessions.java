package org.coffer.secretservice.provider.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.coffer.Secret;
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
 * Each is an object ({@code Close}) that lives until its client closes it.
 */
final class Sessions {

    private final DBusConnection connection;
    private final Map<String, TransportCipher> open = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    Sessions(DBusConnection connection) {
        this.connection = connection;
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

    /** @return the secret encoded for the session; the caller keeps the secret */
    EncodedSecret encode(DBusPath session, Secret secret) {
        char[] chars = secret.chars();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] value = Arrays.copyOf(bytes.array(), bytes.limit());
        Arrays.fill(chars, '\0');
        Arrays.fill(bytes.array(), (byte) 0);
        try {
            return cipher(session).encode(session, value);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** @return the secret a client sent; the caller closes it */
    Secret decode(EncodedSecret encoded) {
        byte[] value = cipher(encoded.session).decode(encoded);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value));
            char[] text = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            try {
                return Secret.of(text);
            } finally {
                Arrays.fill(text, '\0');
            }
        } catch (CharacterCodingException binary) {
            throw BusObjects.notSupported("Coffer keeps text secrets (UTF-8); this one is binary");
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** The object of one session. */
    private final class SessionObject implements SecretServiceApi.Session {

        private final String path;

        SessionObject(String path) {
            this.path = path;
        }

        @Override
        public void Close() {
            open.remove(path);
            connection.unExportObject(path);
        }

        @Override
        public String getObjectPath() {
            return path;
        }
    }
}
