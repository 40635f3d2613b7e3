package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import static org.coffer.backend.secretservice.protocol.SecretServiceApi.SERVICE_PATH;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.coffer.BackendException;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.GnomeKeyring;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * Unlocking the collection when a call finds it locked: after a daemon restart the
 * collection comes back locked, and this unlocks it again from the configured password
 * and records it for the diagnosis. One caller unlocks at a time; the others find it
 * unlocked. Without a password, the desktop's prompt is shown once: a dismissed prompt
 * is not shown again to every waiting reader for {@value #PROMPT_PAUSE_SECONDS} s, and
 * reads fail as "locked" meanwhile.
 */
final class CollectionUnlock {

    static final long PROMPT_PAUSE_SECONDS = 30;

    private final Supplier<Optional<Secret>> password;
    private final String passwordSource;
    private final Duration promptTimeout;
    private volatile long promptPausedUntil = System.nanoTime();
    private volatile String last = "none since the connection opened";

    /**
     * @param password the configured password, if any
     * @param passwordSource where it comes from, for the diagnosis
     * @param promptTimeout how long a person has to answer the prompt
     */
    CollectionUnlock(Supplier<Optional<Secret>> password, String passwordSource, Duration promptTimeout) {
        this.password = password;
        this.passwordSource = passwordSource;
        this.promptTimeout = promptTimeout;
    }

    /** @return when and how the collection was last unlocked by Coffer, for {@code keyring:diagnose} */
    String last() {
        return last;
    }

    /**
     * Unlocks with the configured password, else with the standard prompt.
     *
     * @throws KeyringLockedException if it stays locked
     */
    synchronized void automatically(SecretServiceLink l, DBusPath collection) {
        if (!l.locked(collection)) {
            return;
        }
        Optional<Secret> configured = password.get();
        String refusal = "";
        if (configured.isPresent()) {
            try (Secret secret = configured.get()) {
                withPassword(l, collection, secret);
                record(l, collection, passwordSource);
                return;
            } catch (BackendException | DBusExecutionException e) {
                refusal = " The password from " + passwordSource + " did not unlock it: " + e.getMessage() + ".";
            }
        } else if (System.nanoTime() - promptPausedUntil >= 0) {
            Pair<List<DBusPath>, DBusPath> result = l.service.Unlock(List.of(collection));
            if (result.first.contains(collection) || l.prompt(promptTimeout, result.second)) {
                if (!l.locked(collection)) {
                    record(l, collection, "the desktop's prompt");
                    return;
                }
            }
            promptPausedUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPT_PAUSE_SECONDS);
            refusal = " Its unlock prompt was dismissed or not answered; it is not shown again for "
                    + PROMPT_PAUSE_SECONDS + " s.";
        } else {
            refusal = " Its unlock prompt was dismissed a moment ago.";
        }
        if (l.locked(collection)) {
            throw new KeyringLockedException("The Secret Service collection " + collection.getPath() + " is locked."
                    + refusal + " Unlock it with keyring:unlock (the password is read from the terminal or standard"
                    + " input), or give its password in " + passwordSource);
        }
    }

    /**
     * Unlocks through gnome-keyring's {@code UnlockWithMasterPassword}.
     *
     * @throws BackendException if the service is not gnome-keyring or refused the password
     */
    void withPassword(SecretServiceLink l, DBusPath collection, Secret secret) {
        byte[] value = secret.utf8();
        try {
            l.remote(new DBusPath(SERVICE_PATH), GnomeKeyring.class)
                    .UnlockWithMasterPassword(collection, l.cipher.encode(l.session, value));
        } catch (DBusExecutionException e) {
            String type = String.valueOf(e.getType());
            if (type.endsWith("UnknownMethod") || type.endsWith("UnknownInterface")) {
                throw new BackendException("This Secret Service is not gnome-keyring and cannot be unlocked with"
                        + " a password; unlock " + collection.getPath() + " in its own window", e);
            }
            throw new BackendException("The password did not unlock the Secret Service collection "
                    + collection.getPath() + ": " + type + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** An unlock by hand (keyring:unlock) counts as the last one too. */
    void record(SecretServiceLink l, DBusPath collection, String how) {
        promptPausedUntil = System.nanoTime();
        last = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " with " + how + " (" + collection.getPath()
                + " of " + l.owner + ")";
    }
}
