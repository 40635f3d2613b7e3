package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.coffer.backend.secretservice.protocol.TransportCipher;

import static org.coffer.backend.secretservice.protocol.SecretServiceApi.NO_OBJECT;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.coffer.BackendException;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Prompt;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Service;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * One connection to the Secret Service, its transport session and what was learnt
 * through it. Every object is addressed at the unique name of the owner that passed
 * the {@link OwnerCheck}, and its replies are checked by {@link ReplyShape}.
 */
final class SecretServiceLink {

    /** The unique bus name of the owner that passed the check: every call goes to it. */
    final String owner;
    final DBusConnection connection;
    final Service service;
    final DBusPath session;
    final TransportCipher cipher;
    volatile DBusPath collection;
    /** The item last found for each service and username, so that a repeated get is one GetSecrets call. */
    final Map<String, DBusPath> items = new ConcurrentHashMap<>();

    SecretServiceLink(String owner, DBusConnection connection, Service service, DBusPath session,
            TransportCipher cipher) {
        this.owner = owner;
        this.connection = connection;
        this.service = service;
        this.session = session;
        this.cipher = cipher;
    }

    /** @return an object of the pinned owner, whose replies are checked */
    <I extends DBusInterface> I remote(DBusPath path, Class<I> type) {
        return ReplyShape.checked(type, unchecked(path, type));
    }

    /** @return an object of the pinned owner as dbus-java gives it, which signal handlers need */
    <I extends DBusInterface> I unchecked(DBusPath path, Class<I> type) {
        try {
            return connection.getRemoteObject(owner, path.getPath(), type);
        } catch (DBusException e) {
            throw new DBusExecutionException(e.getMessage(), e);
        }
    }

    Object property(DBusPath path, String iface, String name) {
        return remote(path, Properties.class).Get(iface, name);
    }

    Map<String, String> itemAttributes(DBusPath item) {
        return ReplyShape.attributes(property(item, SecretServiceApi.ITEM_INTERFACE, "Attributes"));
    }

    boolean locked(DBusPath collection) {
        return ReplyShape.property("Locked", Boolean.class,
                property(collection, SecretServiceApi.COLLECTION_INTERFACE, "Locked"));
    }

    /**
     * Shows a prompt and waits until it completes.
     *
     * @param timeout how long a person has to answer
     * @param path the prompt, or {@code /} for none
     * @return {@code true} if there was no prompt or it completed, {@code false} if it was
     *         dismissed or nobody answered in time
     */
    boolean prompt(Duration timeout, DBusPath path) {
        if (path == null || NO_OBJECT.equals(path.getPath())) {
            return true;
        }
        Prompt prompt = remote(path, Prompt.class);
        CompletableFuture<Boolean> completed = new CompletableFuture<>();
        // dbus-java knows the signal's source by its own proxy, not by the checked view
        Prompt source = unchecked(path, Prompt.class);
        try (AutoCloseable handler = connection.addSigHandler(Prompt.Completed.class, source,
                signal -> completed.complete(!signal.dismissed))) {
            prompt.Prompt("");
            return completed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            prompt.Dismiss();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | DBusExecutionException e) {
            return false;
        } catch (Exception e) {
            throw new BackendException("Cannot wait for the Secret Service prompt " + path.getPath() + ": "
                    + e.getMessage(), e);
        }
    }
}
