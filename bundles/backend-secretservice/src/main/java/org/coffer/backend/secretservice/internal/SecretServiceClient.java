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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.coffer.BackendException;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Collection;
import org.coffer.backend.secretservice.internal.SecretServiceApi.EncodedSecret;
import org.coffer.backend.secretservice.internal.SecretServiceApi.GnomeKeyring;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Item;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Pair;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Prompt;
import org.coffer.backend.secretservice.internal.SecretServiceApi.Service;
import org.coffer.spi.KeyringEntry;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
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
    private final OwnerCheck owners;
    private Link link;
    private boolean closed;

    /** One connection, its session and what was learnt through it. */
    private static final class Link {
        /** The unique bus name of the owner that passed the check: every call goes to it. */
        final String owner;
        final DBusConnection connection;
        final Service service;
        final DBusPath session;
        final TransportCipher cipher;
        volatile DBusPath collection;
        /** The item last found for each service and username, so that a repeated get is one GetSecrets call. */
        final Map<String, DBusPath> items = new java.util.concurrent.ConcurrentHashMap<>();

        Link(String owner, DBusConnection connection, Service service, DBusPath session, TransportCipher cipher) {
            this.owner = owner;
            this.connection = connection;
            this.service = service;
            this.session = session;
            this.cipher = cipher;
        }
    }

    /**
     * A client that connects and opens a session on its first call.
     *
     * @param address the D-Bus address of the session bus
     * @param algorithm the transport: {@link TransportCipher#DH_AES} or {@link TransportCipher#PLAIN}
     * @param application the {@code application} attribute of the items written
     * @param alias the alias of the collection, {@code default} as Python uses
     * @param promptTimeout how long to wait for a person to answer an unlock prompt
     * @param environmentPassword the keyring password without asking, if configured
     * @param owners which owners of the service name are sent anything
     * @throws IllegalArgumentException if the transport algorithm is unknown
     */
    SecretServiceClient(String address, String algorithm, String application, String alias, Duration promptTimeout,
            Supplier<Optional<Secret>> environmentPassword, OwnerCheck owners) {
        this.address = address;
        this.algorithm = algorithm;
        this.application = application;
        this.alias = alias;
        this.promptTimeout = promptTimeout;
        this.environmentPassword = environmentPassword;
        this.owners = owners;
        new TransportCipher.Offer(algorithm); // rejects an unknown algorithm early
    }

    String address() {
        return address;
    }

    String algorithm() {
        return algorithm;
    }

    private synchronized Link link() {
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
            link = new Link(owner, connection, service, opened.second, offer.accept(opened.first));
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
    private synchronized void reset(Link broken) {
        if (link == broken) {
            forget(broken);
            link = null;
        }
    }

    /** Disconnects; the service ends the session of a client that left the bus. */
    private static void forget(Link old) {
        if (old != null) {
            old.connection.disconnect();
        }
    }

    /** Runs a call; if the connection or session went stale, opens new ones and runs it once more. */
    private <T> T call(String what, Function<Link, T> body) {
        Link current = link();
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
                unlock(l, collection);
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
    private static Optional<Secret> secretOf(Link l, DBusPath item) {
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
                created = remote(l, collection, Collection.class).CreateItem(properties, l.cipher.encode(l.session, value), true);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
            prompt(l, created.second);
            // an item another program wrote with other attributes would answer look-ups too
            for (DBusPath item : remote(l, collection, Collection.class).SearchItems(attributes(service, username))) {
                if (!item.getPath().equals(created.first.getPath())) {
                    prompt(l, remote(l, item, Item.class).Delete());
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
            List<DBusPath> items = remote(l, collection, Collection.class).SearchItems(attributes(service, username));
            for (DBusPath item : items) {
                prompt(l, remote(l, item, Item.class).Delete());
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
            for (DBusPath item : remote(l, collection, Collection.class).SearchItems(Map.of("service", service))) {
                String username = itemAttributes(l, item).get("username");
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
            for (DBusPath item : remote(l, collection, Collection.class).SearchItems(Map.of())) {
                Map<String, String> attributes = itemAttributes(l, item);
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
            return collection != null && locked(l, collection);
        });
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
            } else if (locked(l, collection)) {
                unlockWithPassword(l, collection, password);
                if (locked(l, collection)) {
                    throw new BackendException("The password did not unlock the Secret Service collection "
                            + collection.getPath() + " (Incorrect password?); it stays locked");
                }
            }
            return null;
        });
    }

    /** Locks the default collection. */
    void lock() {
        call("lock", l -> {
            DBusPath collection = collection(l, false);
            if (collection != null) {
                prompt(l, l.service.Lock(List.of(collection)).second);
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

    /** @return an object of the pinned owner, whose replies are checked */
    private static <I extends DBusInterface> I remote(Link l, DBusPath path, Class<I> type) {
        return ReplyShape.checked(type, unchecked(l, path, type));
    }

    /** @return an object of the pinned owner as dbus-java gives it, which signal handlers need */
    private static <I extends DBusInterface> I unchecked(Link l, DBusPath path, Class<I> type) {
        try {
            return l.connection.getRemoteObject(l.owner, path.getPath(), type);
        } catch (DBusException e) {
            throw new DBusExecutionException(e.getMessage(), e);
        }
    }

    private static Object property(Link l, DBusPath path, String iface, String name) {
        return remote(l, path, Properties.class).Get(iface, name);
    }

    private static Map<String, String> itemAttributes(Link l, DBusPath item) {
        return ReplyShape.attributes(property(l, item, SecretServiceApi.ITEM_INTERFACE, "Attributes"));
    }

    private static boolean locked(Link l, DBusPath collection) {
        return ReplyShape.property("Locked", Boolean.class,
                property(l, collection, SecretServiceApi.COLLECTION_INTERFACE, "Locked"));
    }

    /** The collection of the alias, cached per connection; created (labelled {@code Default}) if asked. */
    private DBusPath collection(Link l, boolean create) {
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

    private DBusPath createCollection(Link l) {
        Optional<Secret> password = environmentPassword.get();
        if (password.isPresent()) {
            try (Secret secret = password.get()) {
                return create(l, secret);
            }
        }
        Pair<DBusPath, DBusPath> created = l.service.CreateCollection(
                Map.of(LABEL, new Variant<>(label())), alias);
        if (NO_OBJECT.equals(created.first.getPath()) && !prompt(l, created.second)) {
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

    private DBusPath create(Link l, Secret password) {
        byte[] value = password.utf8();
        DBusPath path;
        try {
            path = remote(l, new DBusPath(SERVICE_PATH), GnomeKeyring.class)
                    .CreateWithMasterPassword(Map.of(LABEL, new Variant<>(label())), l.cipher.encode(l.session, value));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
        l.service.SetAlias(alias, path);
        l.collection = path;
        return path;
    }

    private DBusPath unlockedCollection(Link l, boolean create) {
        DBusPath collection = collection(l, create);
        if (collection != null && locked(l, collection)) {
            unlock(l, collection);
        }
        return collection;
    }

    /** Unlocks with the configured password, else with the standard prompt; throws if it stays locked. */
    private void unlock(Link l, DBusPath collection) {
        Optional<Secret> password = environmentPassword.get();
        if (password.isPresent()) {
            try (Secret secret = password.get()) {
                unlockWithPassword(l, collection, secret);
            } catch (BackendException | DBusExecutionException wrong) {
                // fall back to the prompt; the message below says what to do
            }
        } else {
            Pair<List<DBusPath>, DBusPath> result = l.service.Unlock(List.of(collection));
            if (!result.first.contains(collection)) {
                prompt(l, result.second);
            }
        }
        if (locked(l, collection)) {
            throw new KeyringLockedException("The Secret Service collection " + collection.getPath()
                    + " is locked. Unlock it with keyring:unlock (the password is read from the terminal or"
                    + " standard input), or give its password in the configured environment variable");
        }
    }

    private void unlockWithPassword(Link l, DBusPath collection, Secret password) {
        byte[] value = password.utf8();
        try {
            remote(l, new DBusPath(SERVICE_PATH), GnomeKeyring.class)
                    .UnlockWithMasterPassword(collection, l.cipher.encode(l.session, value));
        } catch (DBusExecutionException e) {
            String type = String.valueOf(e.getType());
            if (type.endsWith("UnknownMethod") || type.endsWith("UnknownInterface")) {
                throw new BackendException("This Secret Service is not gnome-keyring and cannot be unlocked with"
                        + " a password; unlock " + collection.getPath() + " in its own window", e);
            }
            throw new BackendException("The password did not unlock the Secret Service collection "
                    + collection.getPath() + ": " + describe(e), e);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /**
     * Shows a prompt and waits until it completes.
     *
     * @return {@code true} if there was no prompt or it completed, {@code false} if it was
     *         dismissed or nobody answered in time
     */
    private boolean prompt(Link l, DBusPath path) {
        if (path == null || NO_OBJECT.equals(path.getPath())) {
            return true;
        }
        Prompt prompt = remote(l, path, Prompt.class);
        CompletableFuture<Boolean> completed = new CompletableFuture<>();
        // dbus-java knows the signal's source by its own proxy, not by the checked view
        Prompt source = unchecked(l, path, Prompt.class);
        try (AutoCloseable handler = l.connection.addSigHandler(Prompt.Completed.class, source,
                signal -> completed.complete(!signal.dismissed))) {
            prompt.Prompt("");
            return completed.get(promptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            prompt.Dismiss();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (DBusExecutionException e) {
            return false;
        } catch (Exception e) {
            throw new BackendException("Cannot wait for the Secret Service prompt " + path.getPath() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        forget(link);
        link = null;
    }
}
