package org.coffer.backend.secretservice.internal;

import static org.coffer.backend.secretservice.internal.SecretServiceApi.NO_OBJECT;
import static org.coffer.backend.secretservice.internal.SecretServiceApi.SERVICE_PATH;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coffer.BackendException;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Collection;
import org.coffer.backend.secretservice.internal.SecretServiceApi.EncodedSecret;
import org.coffer.backend.secretservice.internal.SecretServiceApi.GnomeKeyring;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Item;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Pair;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Service;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.Variant;

/**
 * A small client of the <a href="https://specifications.freedesktop.org/secret-service-spec/latest/">freedesktop
 * Secret Service</a>, with items laid out as Python's keyring (through SecretStorage)
 * lays them out: attributes {@code service}, {@code username} and {@code application},
 * label {@code Password for 'USER' on 'SERVICE'}, content type {@code text/plain},
 * UTF-8 values, in the collection of the alias {@code default}.
 *
 * <p>One connection and one transport session serve every call; when a call finds them
 * gone (the daemon restarted, the bus dropped), the client opens new ones and tries
 * the call once more. Each connection first checks the owner of the service name
 * ({@link OwnerCheck}) and then sends every call to that owner's unique name, and
 * every reply is checked against the type the specification gives ({@link ReplyShape}).
 */
final class SecretServiceClient implements AutoCloseable {

    static final String LABEL = "org.freedesktop.Secret.Collection.Label";
    static final String ITEM_LABEL = "org.freedesktop.Secret.Item.Label";
    static final String ITEM_ATTRIBUTES = "org.freedesktop.Secret.Item.Attributes";
    static final String GNOME_KEYRING = "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface";

    private final String address;
    private final String algorithm;
    private final String application;
    private final String alias;
    private final Duration promptTimeout;
    private final Supplier<Optional<Secret>> environmentPassword;
    private final CollectionUnlock unlocking;
    private final OwnerCheck owners;
    private SecretServiceLink link;
    private boolean closed;

    /**
     * A client that connects and opens a session on its first call.
     *
     * @param address the D-Bus address of the session bus
     * @param algorithm the transport: {@link TransportCipher#DH_AES} or {@link TransportCipher#PLAIN}
     * @param application the {@code application} attribute of the items written
     * @param alias the alias of the collection, {@code default} as Python uses
     * @param promptTimeout how long to wait for a person to answer an unlock prompt
     * @param environmentPassword the keyring password without asking, if configured
     * @param passwordSource where that password comes from, for messages
     * @param owners which owners of the service name are sent anything
     * @throws IllegalArgumentException if the transport algorithm is unknown
     */
    SecretServiceClient(String address, String algorithm, String application, String alias, Duration promptTimeout,
            Supplier<Optional<Secret>> environmentPassword, String passwordSource, OwnerCheck owners) {
        this.address = address;
        this.algorithm = algorithm;
        this.application = application;
        this.alias = alias;
        this.promptTimeout = promptTimeout;
        this.environmentPassword = environmentPassword;
        this.unlocking = new CollectionUnlock(environmentPassword, passwordSource, promptTimeout);
        this.owners = owners;
        new TransportCipher.Offer(algorithm); // rejects an unknown algorithm early
    }

    String address() {
        return address;
    }

    String algorithm() {
        return algorithm;
    }

    private synchronized SecretServiceLink link() {
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

    /** Runs a call; if the connection or session went stale, opens new ones and runs it once more. */
    private <T> T call(String what, Function<SecretServiceLink, T> body) {
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

    Map<String, String> attributes(String service, String username) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("username", username);
        attributes.put("service", service);
        return attributes;
    }

    /**
     * @return the secret of the first item of the default collection with this service
     *         and username, unlocking the collection if it must
     */
    Optional<Secret> get(String service, String username) {
        return call("read '" + username + "' of '" + service + "'", l -> {
            String key = service + "\0" + username;
            DBusPath known = l.items.get(key);
            if (known != null) {
                Optional<Secret> secret = secretOf(l, known);
                if (secret.isPresent()) {
                    return secret;
                }
                l.items.remove(key);
            }
            DBusPath collection = collection(l, false);
            if (collection == null) {
                return Optional.empty();
            }
            Pair<List<DBusPath>, List<DBusPath>> found = l.service.SearchItems(attributes(service, username));
            List<DBusPath> unlocked = within(collection, found.first);
            if (unlocked.isEmpty()) {
                List<DBusPath> locked = within(collection, found.second);
                if (locked.isEmpty()) {
                    return Optional.empty();
                }
                unlocking.automatically(l, collection);
                unlocked = locked;
            }
            Map<DBusPath, EncodedSecret> secrets = l.service.GetSecrets(unlocked, l.session);
            for (DBusPath item : unlocked) {
                EncodedSecret secret = secrets.get(item);
                if (secret != null) {
                    l.items.put(key, item);
                    byte[] value = l.cipher.decode(secret);
                    return Optional.of(text(value, item));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The secret of an item found before, if it is still there, unlocked and readable;
     * empty sends the caller back to a search.
     */
    private static Optional<Secret> secretOf(SecretServiceLink l, DBusPath item) {
        EncodedSecret secret;
        try {
            secret = l.service.GetSecrets(List.of(item), l.session).get(item);
        } catch (DBusExecutionException goneOrLocked) {
            return Optional.empty();
        }
        if (secret == null) {
            return Optional.empty();
        }
        return Optional.of(text(l.cipher.decode(secret), item));
    }

    /** A secret's bytes as text, strictly, as Python's keyring decodes them; the bytes are wiped. */
    private static Secret text(byte[] value, DBusPath item) {
        try {
            return Secret.fromUtf8(value);
        } catch (IllegalArgumentException notText) {
            throw new BackendException("The Secret Service item " + item.getPath() + " holds a secret that is not"
                    + " UTF-8 text; Coffer, like Python's keyring, reads text secrets only");
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** Stores a secret as Python's keyring does, replacing every item with the same service and username. */
    void set(String service, String username, Secret secret) {
        call("store '" + username + "' of '" + service + "'", l -> {
            l.items.remove(service + "\0" + username);
            DBusPath collection = unlockedCollection(l, true);
            Map<String, String> attributes = attributes(service, username);
            attributes.put("application", application);
            Map<String, Variant<?>> properties = new LinkedHashMap<>();
            properties.put(ITEM_LABEL, new Variant<>("Password for '" + username + "' on '" + service + "'"));
            properties.put(ITEM_ATTRIBUTES, new Variant<>(attributes, "a{ss}"));
            byte[] value = secret.utf8();
            Pair<DBusPath, DBusPath> created;
            try {
                created = l.remote(collection, Collection.class).CreateItem(properties, l.cipher.encode(l.session, value), true);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
            l.prompt(promptTimeout, created.second);
            // an item another program wrote with other attributes would answer look-ups too
            for (DBusPath item : l.remote(collection, Collection.class).SearchItems(attributes(service, username))) {
                if (!item.getPath().equals(created.first.getPath())) {
                    l.prompt(promptTimeout, l.remote(item, Item.class).Delete());
                }
            }
            return null;
        });
    }

    /** @return whether an item was deleted: every item of the service and username is */
    boolean delete(String service, String username) {
        link().items.remove(service + "\0" + username);
        return call("delete '" + username + "' of '" + service + "'", l -> {
            DBusPath collection = unlockedCollection(l, false);
            if (collection == null) {
                return false;
            }
            List<DBusPath> items = l.remote(collection, Collection.class).SearchItems(attributes(service, username));
            for (DBusPath item : items) {
                l.prompt(promptTimeout, l.remote(item, Item.class).Delete());
            }
            return !items.isEmpty();
        });
    }

    /** @return the first username stored for a service, if any */
    Optional<String> firstUsername(String service) {
        return call("search '" + service + "'", l -> {
            DBusPath collection = unlockedCollection(l, false);
            if (collection == null) {
                return Optional.<String>empty();
            }
            for (DBusPath item : l.remote(collection, Collection.class).SearchItems(Map.of("service", service))) {
                String username = l.itemAttributes(item).get("username");
                if (username != null) {
                    return Optional.of(username);
                }
            }
            return Optional.<String>empty();
        });
    }

    /** @return the service and username of every item of the default collection that has both */
    List<KeyringEntry> entries() {
        return call("list the items", l -> {
            List<KeyringEntry> entries = new ArrayList<>();
            DBusPath collection = unlockedCollection(l, false);
            if (collection == null) {
                return entries;
            }
            for (DBusPath item : l.remote(collection, Collection.class).SearchItems(Map.of())) {
                Map<String, String> attributes = l.itemAttributes(item);
                if (attributes.containsKey("service") && attributes.containsKey("username")) {
                    entries.add(new KeyringEntry(attributes.get("service"), attributes.get("username")));
                }
            }
            return entries;
        });
    }

    /** @return whether the default collection exists and is locked */
    boolean isLocked() {
        return call("read the lock state", l -> {
            DBusPath collection = collection(l, false);
            return collection != null && l.locked(collection);
        });
    }

    /** @return when and how Coffer last unlocked the collection */
    String lastUnlock() {
        return unlocking.last();
    }

    /** @return the path of the default collection, or empty if there is none yet */
    Optional<String> collectionPath() {
        return call("read the alias '" + alias + "'", l -> Optional.ofNullable(collection(l, false)).map(DBusPath::getPath));
    }

    /**
     * Unlocks the default collection with its password through gnome-keyring's
     * {@code UnlockWithMasterPassword}, or creates it with that password when it is missing.
     */
    void unlock(Secret password) {
        call("unlock with a password", l -> {
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

    /** Locks the default collection. */
    void lock() {
        call("lock", l -> {
            DBusPath collection = collection(l, false);
            if (collection != null) {
                l.prompt(promptTimeout, l.service.Lock(List.of(collection)).second);
            }
            return null;
        });
    }

    private static List<DBusPath> within(DBusPath collection, List<DBusPath> items) {
        String prefix = collection.getPath() + "/";
        List<DBusPath> inside = new ArrayList<>();
        for (DBusPath item : items) {
            if (item.getPath().startsWith(prefix)) {
                inside.add(item);
            }
        }
        return inside;
    }






    /** The collection of the alias, cached per connection; created (labelled {@code Default}) if asked. */
    private DBusPath collection(SecretServiceLink l, boolean create) {
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

    private DBusPath unlockedCollection(SecretServiceLink l, boolean create) {
        DBusPath collection = collection(l, create);
        if (collection != null && l.locked(collection)) {
            unlocking.automatically(l, collection);
        }
        return collection;
    }

    @Override
    public synchronized void close() {
        closed = true;
        forget(link);
        link = null;
    }
}
