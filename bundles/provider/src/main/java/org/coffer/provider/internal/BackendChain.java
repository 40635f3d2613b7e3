package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.coffer.BackendException;
import org.coffer.BackendInfo;
import org.coffer.Credential;
import org.coffer.IntegrityException;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.NoKeyringException;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;

/**
 * The ordered backends and the rules for using them, as Python keyring's chainer:
 * reads walk from the top and the first answer wins, writes go to the active backend.
 *
 * <p>The order is an immutable list replaced whole on every change, so a call takes
 * one snapshot and never locks. A backend that is unavailable during a read is passed
 * over when a lower one holds the value, and its failure is kept for the diagnosis; a
 * backend whose value fails its integrity check ({@link IntegrityException}) ends the
 * read with that error, since a lower copy may be stale.
 */
final class BackendChain {

    static final String NO_KEYRING = "No keyring backend is available. Install a backend bundle (for example"
            + " org.coffer.backend.plaintext, or an encrypted one) into the deploy/ folder or the framework,"
            + " and see 'keyring:backends --all' for backends that are installed but cannot work on this machine.";

    private volatile List<RankedBackend> snapshot = List.of();
    private final ReadFailures failed = new ReadFailures();
    private volatile String pinned;

    /** @return the current order, highest first */
    List<RankedBackend> snapshot() {
        return snapshot;
    }

    synchronized void add(KeyringBackend backend, Map<String, ?> properties) {
        List<RankedBackend> next = new ArrayList<>(snapshot);
        next.removeIf(r -> r.backend == backend);
        next.add(new RankedBackend(backend, properties));
        Collections.sort(next);
        snapshot = List.copyOf(next);
    }

    synchronized void remove(KeyringBackend backend) {
        List<RankedBackend> next = new ArrayList<>(snapshot);
        next.removeIf(r -> r.backend == backend);
        snapshot = List.copyOf(next);
    }

    /** @return the last failures of backends during reads */
    ReadFailures failures() {
        return failed;
    }

    String pinned() {
        return pinned;
    }

    void pin(String name) {
        pinned = name == null || name.isBlank() ? null : name;
    }

    /**
     * @return the backend writes go to
     * @throws NoKeyringException if there is none
     * @throws BackendException if the pinned backend is not available
     */
    RankedBackend active() {
        return active(snapshot);
    }

    private RankedBackend active(List<RankedBackend> order) {
        String pin = pinned;
        if (pin != null) {
            for (RankedBackend r : order) {
                if (r.name.equals(pin)) {
                    return r;
                }
            }
            throw new BackendException("The pinned keyring backend '" + pin + "' is not available. Start its bundle,"
                    + " or run 'keyring:use --auto' to use the highest-ranked backend.");
        }
        if (order.isEmpty()) {
            throw new NoKeyringException(NO_KEYRING);
        }
        return order.get(0);
    }

    /**
     * @param name a backend name
     * @return that backend
     * @throws IllegalArgumentException if no available backend has the name
     */
    RankedBackend named(String name) {
        for (RankedBackend r : snapshot) {
            if (r.name.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("No available keyring backend is named '" + name + "'; see keyring:backends");
    }

    /** Copies, verifies, then optionally deletes: the source stays complete until every copy reads back equal. */
    List<KeyringEntry> migrate(String from, String to, boolean deleteSource, KeyringAdmin.Progress progress) {
        KeyringBackend source = named(from).backend;
        KeyringBackend target = named(to).backend;
        if (source == target) {
            throw new IllegalArgumentException("Migrating needs two different backends");
        }
        if (!source.canEnumerate()) {
            throw new IllegalArgumentException("The backend '" + from + "' cannot list its entries, so it cannot be migrated");
        }
        List<KeyringEntry> entries = source.entries();
        List<String> failures = new ArrayList<>();
        int done = 0;
        progress.entries(done, entries.size());
        for (KeyringEntry entry : entries) {
            Optional<Secret> value = source.get(entry.service(), entry.username());
            if (value.isEmpty()) {
                failures.add(entry + " could not be read from " + from);
                continue;
            }
            try (Secret secret = value.get()) {
                target.set(entry.service(), entry.username(), secret);
                Optional<Secret> copy = target.get(entry.service(), entry.username());
                if (copy.isEmpty() || !copy.get().equals(secret)) {
                    failures.add(entry + " did not read back equal from " + to);
                }
                copy.ifPresent(Secret::destroy);
            } catch (RuntimeException e) {
                failures.add(entry + ": " + e.getMessage());
            }
            progress.entries(++done, entries.size());
        }
        if (!failures.isEmpty()) {
            throw new BackendException("Migration from " + from + " to " + to + " incomplete; nothing was deleted from "
                    + from + ". " + String.join("; ", failures));
        }
        if (deleteSource) {
            for (KeyringEntry entry : entries) {
                source.delete(entry.service(), entry.username());
            }
        }
        return entries;
    }

    Optional<Secret> get(String service, String username) {
        return read(backend -> backend.get(service, username));
    }

    Optional<Credential> getCredential(String service, String username) {
        return read(backend -> backend.getCredential(service, username));
    }

    /**
     * Walks the backends from the top; the first value wins. "Not found" is the answer
     * only when every backend answered cleanly: otherwise the failures are the answer,
     * each naming its backend, and a locked backend is reported when nothing else failed.
     */
    private <T> Optional<T> read(Function<KeyringBackend, Optional<T>> lookup) {
        List<RankedBackend> order = snapshot;
        if (order.isEmpty()) {
            throw new NoKeyringException(NO_KEYRING);
        }
        KeyringLockedException locked = null;
        List<String> failures = new ArrayList<>();
        RuntimeException lastFailure = null;
        for (RankedBackend r : order) {
            try {
                Optional<T> value = lookup.apply(r.backend);
                failed.answered(r.name);
                if (value.isPresent()) {
                    failed.passedOver(failures);
                    return value;
                }
            } catch (IntegrityException e) {
                // the value is there and cannot be trusted: a lower copy may be stale, so the read ends here
                failed.failed(r.name, e.getMessage());
                throw e;
            } catch (KeyringLockedException e) {
                locked = locked == null ? e : locked;
                failures.add(r.name + " is locked");
            } catch (RuntimeException e) {
                // stopped, unreachable or damaged: a lower backend may still hold the value
                failures.add(r.name + ": " + e.getMessage());
                failed.failed(r.name, e.getMessage());
                lastFailure = e;
            }
        }
        if (lastFailure != null) {
            throw new BackendException("Not every keyring backend could answer, so the entry may exist: "
                    + String.join("; ", failures), lastFailure);
        }
        if (locked != null) {
            throw locked;
        }
        return Optional.empty();
    }

    void set(String service, String username, Secret secret) {
        write(backend -> {
            backend.set(service, username, secret);
            return Boolean.TRUE;
        });
    }

    boolean delete(String service, String username) {
        return write(backend -> backend.delete(service, username));
    }

    /** Runs a write on the active backend; if it failed because the order changed meanwhile, once more on the new one. */
    private boolean write(Function<KeyringBackend, Boolean> change) {
        List<RankedBackend> order = snapshot;
        RankedBackend target = active(order);
        try {
            return change.apply(target.backend);
        } catch (IllegalArgumentException | KeyringLockedException e) {
            throw e;
        } catch (RuntimeException e) {
            List<RankedBackend> now = snapshot;
            if (now == order || now.contains(target)) {
                throw e;
            }
            return change.apply(active(now).backend);
        }
    }

    /** @return the viable backends in order, the active one marked */
    List<BackendInfo> infos() {
        List<RankedBackend> order = snapshot;
        RankedBackend active;
        try {
            active = order.isEmpty() ? null : active(order);
        } catch (BackendException pinnedMissing) {
            active = null;
        }
        List<BackendInfo> infos = new ArrayList<>();
        for (RankedBackend r : order) {
            infos.add(new BackendInfo(r.name, describe(r.backend), r.ranking, r == active, true, locked(r.backend), null,
                    r.backend.sharesPassword()).withPasswordEntry(r.passwordEntry)
                    .withFirstPassword(firstPassword(r.backend)));
        }
        return infos;
    }

    private static String describe(KeyringBackend backend) {
        try {
            return backend.description();
        } catch (RuntimeException e) {
            return backend.name();
        }
    }

    private static boolean locked(KeyringBackend backend) {
        try {
            return backend.isLocked();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean firstPassword(KeyringBackend backend) {
        try {
            return backend.awaitsFirstPassword();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
