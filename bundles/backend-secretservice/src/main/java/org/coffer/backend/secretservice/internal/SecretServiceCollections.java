package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import static org.coffer.backend.secretservice.protocol.SecretServiceApi.NO_OBJECT;
import static org.coffer.backend.secretservice.protocol.SecretServiceApi.SERVICE_PATH;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.coffer.BackendException;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.GnomeKeyring;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;

/**
 * The collection of one alias ({@code default}, as Python uses): found through the alias
 * and cached per connection, created (labelled {@code Default}) when a write needs it,
 * unlocked ({@link CollectionUnlock}) and locked.
 */
final class SecretServiceCollections {

    static final String LABEL = "org.freedesktop.Secret.Collection.Label";

    private final SecretServiceConnection connection;
    private final String alias;
    private final Duration promptTimeout;
    private final Supplier<Optional<Secret>> environmentPassword;
    private final CollectionUnlock unlocking;

    /**
     * @param connection the connection the calls go through
     * @param alias the alias of the collection
     * @param promptTimeout how long to wait for a person to answer a prompt
     * @param environmentPassword the keyring password without asking, if configured
     * @param passwordSource where that password comes from, for messages
     */
    SecretServiceCollections(SecretServiceConnection connection, String alias, Duration promptTimeout,
            Supplier<Optional<Secret>> environmentPassword, String passwordSource) {
        this.connection = connection;
        this.alias = alias;
        this.promptTimeout = promptTimeout;
        this.environmentPassword = environmentPassword;
        this.unlocking = new CollectionUnlock(environmentPassword, passwordSource, promptTimeout);
    }

    /** @return whether the collection exists and is locked */
    boolean isLocked() {
        return connection.call("read the lock state", l -> {
            DBusPath collection = collection(l, false);
            return collection != null && l.locked(collection);
        });
    }

    /** @return when and how Coffer last unlocked the collection */
    String lastUnlock() {
        return unlocking.last();
    }

    /** @return the path of the collection, or empty if there is none yet */
    Optional<String> path() {
        return connection.call("read the alias '" + alias + "'",
                l -> Optional.ofNullable(collection(l, false)).map(DBusPath::getPath));
    }

    /**
     * Unlocks the collection with its password through gnome-keyring's
     * {@code UnlockWithMasterPassword}, or creates it with that password when it is missing.
     */
    void unlock(Secret password) {
        connection.call("unlock with a password", l -> {
            DBusPath collection = collection(l, false);
            if (collection == null) {
                create(l, password);
            } else if (l.locked(collection)) {
                unlocking.withPassword(l, collection, password);
                if (l.locked(collection)) {
                    throw new BackendException("The password did not unlock the Secret Service collection "
                            + collection.getPath() + " (Incorrect password?); it stays locked");
                }
                unlocking.record(l, collection, "keyring:unlock");
            }
            return null;
        });
    }

    /** Locks the collection. */
    void lock() {
        connection.call("lock", l -> {
            DBusPath collection = collection(l, false);
            if (collection != null) {
                l.prompt(promptTimeout, l.service.Lock(List.of(collection)).second);
            }
            return null;
        });
    }

    /** The collection of the alias, cached per connection; created if asked, else {@code null} when missing. */
    DBusPath collection(SecretServiceLink l, boolean create) {
        DBusPath known = l.collection;
        if (known != null) {
            return known;
        }
        DBusPath path = l.service.ReadAlias(alias);
        if (NO_OBJECT.equals(path.getPath())) {
            if (!create) {
                return null;
            }
            path = createCollection(l);
        }
        l.collection = path;
        return path;
    }

    /** The collection as {@link #collection} finds it, unlocked if it was locked. */
    DBusPath unlockedCollection(SecretServiceLink l, boolean create) {
        DBusPath collection = collection(l, create);
        if (collection != null && l.locked(collection)) {
            unlocking.automatically(l, collection);
        }
        return collection;
    }

    /** Unlocks a locked collection from the configured password or the prompt. */
    void unlockAutomatically(SecretServiceLink l, DBusPath collection) {
        unlocking.automatically(l, collection);
    }

    private DBusPath createCollection(SecretServiceLink l) {
        Optional<Secret> password = environmentPassword.get();
        if (password.isPresent()) {
            try (Secret secret = password.get()) {
                return create(l, secret);
            }
        }
        Pair<DBusPath, DBusPath> created = l.service.CreateCollection(
                Map.of(LABEL, new Variant<>(label())), alias);
        if (NO_OBJECT.equals(created.first.getPath()) && !l.prompt(promptTimeout, created.second)) {
            throw new KeyringLockedException("The Secret Service has no '" + alias + "' collection and none could"
                    + " be created without a prompt: give Coffer the new keyring's password with keyring:unlock"
                    + " (or the password variable), and it creates the collection with it");
        }
        DBusPath path = l.service.ReadAlias(alias);
        if (NO_OBJECT.equals(path.getPath())) {
            throw new BackendException("The Secret Service did not create the '" + alias + "' collection");
        }
        return path;
    }

    private String label() {
        return "default".equals(alias) ? "Default" : alias;
    }

    private DBusPath create(SecretServiceLink l, Secret password) {
        byte[] value = password.utf8();
        DBusPath path;
        try {
            path = l.remote(new DBusPath(SERVICE_PATH), GnomeKeyring.class)
                    .CreateWithMasterPassword(Map.of(LABEL, new Variant<>(label())), l.cipher.encode(l.session, value));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
        l.service.SetAlias(alias, path);
        l.collection = path;
        return path;
    }
}
