package org.coffer.provider.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.coffer.BackendException;
import org.coffer.BackendInfo;
import org.coffer.Credential;
import org.coffer.IntegrityException;
import org.coffer.KeyringLockedException;
import org.coffer.NoKeyringException;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.ProtectedEntries;

/**
 * The ordered backends and the rules for using them, as Python keyring's chainer:
 * reads walk from the top and the first answer wins, writes go to the active backend.
 *
 * <p>The order is an immutable list replaced whole on every change, so a call takes
 * one snapshot and never locks. A backend that is unavailable during a read is passed
 * over when a lower one holds the value, and its failure is kept for the diagnosis; a
 * backend whose value fails its integrity check ({@link IntegrityException}) ends the
 * read with that error, since a lower copy may be stale. A backend that awaits the
 * entries it declared ({@link ProtectedEntries#awaitsEntries()}) is supplied before it
 * is used. A read that finds nothing while the highest or pinned backend is away, or a
 * configured backend is absent, names it instead of saying "not found" ({@link MissingBackends}).
 */
final class BackendChain {

    static final String NO_KEYRING = "No keyring backend is available. Install a backend bundle (for example"
            + " org.coffer.backend.plaintext, or an encrypted one) into the deploy/ folder or the framework,"
            + " and see 'keyring:backends --all' for backends that are installed but cannot work on this machine.";

    private volatile List<RankedBackend> snapshot = List.of();
    private final ReadFailures failed = new ReadFailures();
    private volatile String pinned;
    private volatile BiConsumer<KeyringBackend, Set<ProtectedEntries>> supply = (backend, supplying) -> { };
    private final MissingBackends missing;

    BackendChain() {
        this(Clock.systemUTC());
    }

    /** @param clock tells when a backend left */
    BackendChain(Clock clock) {
        this.missing = new MissingBackends(clock);
    }

    /** @return the current order, highest first */
    List<RankedBackend> snapshot() {
        return snapshot;
    }

    synchronized void add(KeyringBackend backend, Map<String, ?> properties) {
        List<RankedBackend> next = new ArrayList<>(snapshot);
        next.removeIf(r -> r.backend == backend);
        RankedBackend joining = new RankedBackend(backend, properties);
        next.add(joining);
        Collections.sort(next);
        snapshot = List.copyOf(next);
        missing.joined(joining.name);
    }

    synchronized void remove(KeyringBackend backend) {
        List<RankedBackend> next = new ArrayList<>(snapshot);
        next.removeIf(r -> r.backend == backend);
        snapshot = List.copyOf(next);
    }

    /**
     * A backend went away (its service was unregistered): reads that find nothing name it for a while.
     *
     * @param started whether its bundle still runs; one that was stopped is gone, not away
     */
    synchronized void leave(KeyringBackend backend, BooleanSupplier started) {
        for (RankedBackend r : snapshot) {
            if (r.backend == backend) {
                missing.left(r, started);
            }
        }
        remove(backend);
    }

    /** @return the backends a read that finds nothing names; the provider tells it the absences published */
    MissingBackends missing() {
        return missing;
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

    Optional<Secret> get(String service, String username) {
        return read(backend -> backend.get(service, username), Set.of(), "password for '" + username + "' in '"
                + service + "'");
    }

    /**
     * Reads an entry that components declared for their own secrets, on their behalf: the
     * backends among them are passed over, so that none is ever asked for its own password.
     *
     * @param owners the components being supplied, the innermost last
     * @param service the entry's service
     * @param username its username
     * @return the value, if a backend other than the owners holds it
     */
    Optional<Secret> getFor(Set<ProtectedEntries> owners, String service, String username) {
        // a declared entry not found leaves its owner as it is; the owner's own read names what is missing
        return read(backend -> backend.get(service, username), owners, null);
    }

    Optional<Credential> getCredential(String service, String username) {
        return read(backend -> backend.getCredential(service, username), Set.of(), username == null
                ? "credential of '" + service + "'" : "password for '" + username + "' in '" + service + "'");
    }

    /** @param supply gives a backend that awaits its declared entries their values, before it is used */
    void supplyWith(BiConsumer<KeyringBackend, Set<ProtectedEntries>> supply) {
        this.supply = supply;
    }

    /** A backend that awaits its declared entries gets them first; a failure to get them is the backend's failure. */
    private void prepare(KeyringBackend backend, Set<ProtectedEntries> supplying) {
        boolean awaits;
        try {
            awaits = backend.awaitsEntries();
        } catch (RuntimeException e) {
            awaits = false;
        }
        if (awaits) {
            supply.accept(backend, supplying);
        }
    }

    /**
     * Walks the backends from the top; the first value wins. "Not found" is the answer
     * only when every backend answered cleanly: otherwise the failures are the answer,
     * each naming its backend, and a locked backend is reported when nothing else failed.
     * When a backend that may hold the entry could not be asked, the answer names it too.
     *
     * @param entry what is read, for the message that names the backends not asked; {@code null} for none
     */
    private <T> Optional<T> read(Function<KeyringBackend, Optional<T>> lookup, Set<ProtectedEntries> supplying,
            String entry) {
        List<RankedBackend> order = snapshot;
        if (order.isEmpty()) {
            String away = entry == null ? null : missing.unasked(order, pinned);
            throw new NoKeyringException(away == null ? NO_KEYRING : "T" + away.substring(1) + ". " + NO_KEYRING);
        }
        KeyringLockedException locked = null;
        List<String> failures = new ArrayList<>();
        RuntimeException lastFailure = null;
        for (RankedBackend r : order) {
            if (supplying.contains(r.backend)) {
                continue;
            }
            try {
                prepare(r.backend, supplying);
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
        missing.check(order, pinned, entry);
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
            prepare(target.backend, Set.of());
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
            infos.add(r.info(r == active));
        }
        return infos;
    }
}
