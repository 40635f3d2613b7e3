package org.coffer.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.coffer.BackendException;
import org.coffer.BackendInfo;
import org.coffer.Credential;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One store of secrets: a file, the desktop Secret Service, an operating-system vault.
 *
 * <p>Each backend bundle registers one service of this type with a
 * {@code service.ranking} taken from its configuration (Python keyring's priority
 * times 100). A backend that cannot work here (another operating system, no bus, a
 * configuration that is wrong) does not register: its component waits for an OSGi
 * condition ({@code osgi.ds.satisfying.condition}) that a probe publishes only when it
 * can, and otherwise the probe publishes a {@link BackendAbsence} with the reason, which
 * {@code keyring:backends --all} and {@code keyring:diagnose} show (helper: {@code
 * org.coffer.spi.support.BackendAvailability}).
 *
 * <p>A backend that reads its own password or keys from entries of other backends
 * declares them ({@link #protectedEntries()}) and receives their values from the
 * provider ({@link #awaitsEntries()}, {@link #supply}); it never looks the provider up.
 *
 * <p>Implementations are thread-safe. After their component is deactivated, calls
 * throw {@link BackendException} rather than touch a closed resource.
 */
@ConsumerType
public interface KeyringBackend extends ProtectedEntries {

    /**
     * The component property that carries the backend's {@link #name()}, so that a
     * backend which could not activate can still be named by {@code keyring:backends --all}.
     */
    String NAME_PROPERTY = "coffer.backend.name";

    /**
     * The component property with which a locked backend names the service of another
     * backend's entry that holds its password (the encrypted files' {@code
     * password.service}); the provider reports it as {@link BackendInfo#passwordEntry()}.
     *
     * @since 1.5
     */
    String PASSWORD_SERVICE_PROPERTY = "password.service";

    /**
     * The component property with the username of that entry ({@code password.username}).
     *
     * @since 1.5
     */
    String PASSWORD_USERNAME_PROPERTY = "password.username";

    /**
     * The entries of other backends this backend reads its own password or keys from,
     * such as the encrypted files' {@code password.service}/{@code password.username}
     * or etcd's key-encryption key. None of them ever resolves as a reference.
     *
     * @return the declared entries; none by default
     * @since 1.6
     */
    @Override
    default Set<KeyringEntry> protectedEntries() {
        return Set.of();
    }

    /**
     * @return a short name, unique among backends, used by {@code keyring:use}
     */
    String name();

    /** @return one line on what this backend stores where */
    default String description() {
        return name();
    }

    /**
     * @param service the service
     * @param username the username
     * @return the secret, or empty if there is none
     * @throws KeyringLockedException if the store is locked
     * @throws org.coffer.IntegrityException if the store holds a value for the entry that cannot
     *         be trusted (damaged, torn, failing authentication, rolled back): the read stops there
     * @throws BackendException if the store could not be read
     */
    Optional<Secret> get(String service, String username);

    /**
     * Returns a credential for a service. Without a username, backends that can
     * enumerate return the first entry of the service.
     *
     * @param service the service
     * @param username the username, or {@code null} for any
     * @return the credential, or empty
     * @throws KeyringLockedException if the store is locked
     * @throws BackendException if the store could not be read
     */
    default Optional<Credential> getCredential(String service, String username) {
        if (username != null) {
            return get(service, username).map(secret -> new Credential(username, secret));
        }
        if (!canEnumerate()) {
            return Optional.empty();
        }
        for (KeyringEntry entry : entries()) {
            if (entry.service().equals(service)) {
                Optional<Secret> secret = get(service, entry.username());
                if (secret.isPresent()) {
                    return Optional.of(new Credential(entry.username(), secret.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Stores a secret, replacing an earlier one. Either the whole change is stored or
     * nothing is.
     *
     * @param service the service
     * @param username the username, not empty
     * @param secret the secret; the backend does not keep a reference to it
     * @throws IllegalArgumentException if the service or username cannot be stored
     * @throws KeyringLockedException if the store is locked
     * @throws BackendException if the store could not be written
     */
    void set(String service, String username, Secret secret);

    /**
     * Stores a secret that the store itself forgets after a while, as the kernel keyring
     * lets a key expire: for example a keyring password cached for some minutes.
     *
     * @param service the service
     * @param username the username, not empty
     * @param secret the secret; the backend does not keep a reference to it
     * @param lifetime how long the entry lives, positive; the store may round it up to its unit
     * @throws UnsupportedOperationException if the store cannot let an entry expire (the default)
     * @throws IllegalArgumentException if the entry or the lifetime cannot be stored
     * @throws KeyringLockedException if the store is locked
     * @throws BackendException if the store could not be written
     * @since 1.5
     */
    default void setExpiring(String service, String username, Secret secret, Duration lifetime) {
        throw new UnsupportedOperationException("The " + name() + " backend cannot let an entry expire");
    }

    /**
     * @param service the service
     * @param username the username
     * @return {@code true} if a secret was deleted, {@code false} if there was none
     * @throws KeyringLockedException if the store is locked
     * @throws BackendException if the store could not be written
     */
    boolean delete(String service, String username);

    /**
     * Whether the backend takes the user's keyring password, typed or piped once for all
     * such backends, as the encrypted keyring files do. A backend that answers no (the
     * default) is sent a password only when it is named in {@code keyring:unlock}, so a
     * password meant for the user's files never reaches, for example, whatever process
     * owns a bus name.
     *
     * @return whether a password given without naming a backend may be tried on this one
     */
    default boolean sharesPassword() {
        return false;
    }

    /** @return whether the store waits to be unlocked before it can answer */
    default boolean isLocked() {
        return false;
    }

    /**
     * @return whether it is locked and holds nothing yet (its file does not exist), so the
     *         password that unlocks it becomes its first one: a typed password is then
     *         asked for twice, as Python asks for a new keyring's
     * @since 1.5
     */
    default boolean awaitsFirstPassword() {
        return false;
    }

    /**
     * Unlocks the store with a password.
     *
     * @param password the keyring password; the backend does not keep a reference to it
     * @throws BackendException if the password is wrong; the store stays locked
     */
    default void unlock(Secret password) {
        // a store without a lock has nothing to do
    }

    /** Forgets any key material, so that the store is locked again. */
    default void lock() {
        // a store without a lock has nothing to do
    }

    /** @return whether {@link #entries()} is supported */
    default boolean canEnumerate() {
        return false;
    }

    /**
     * Lists what the store holds, without the secrets, for migration and listing.
     *
     * @return the entries in the store's order
     * @throws UnsupportedOperationException if {@link #canEnumerate()} is false
     * @throws KeyringLockedException if the store is locked
     * @throws BackendException if the store could not be read
     */
    default List<KeyringEntry> entries() {
        throw new UnsupportedOperationException(name() + " cannot list its entries");
    }

    /**
     * Rebuilds a torn or damaged store from what can be read, after keeping a copy of it
     * ({@code keyring:repair}): the way out when reads and writes refuse a store with an
     * {@link org.coffer.IntegrityException}. A whole store is left as it is.
     *
     * @return what was done: the copy, the entries kept and those left out, never a value
     * @throws UnsupportedOperationException if the backend keeps nothing it could rebuild (the default)
     * @throws BackendException if the store could not be read or written; it is left as it was
     * @since 2.2
     */
    default String repair() {
        throw new UnsupportedOperationException("The " + name() + " backend keeps no file that Coffer could rebuild");
    }

    /**
     * Describes the backend: where it stores, its settings, and warnings (for example
     * that secrets are stored unencrypted).
     *
     * @return the diagnosis
     */
    default Diagnosis diagnose() {
        return Diagnosis.of(name()).detail("description", description()).build();
    }
}
