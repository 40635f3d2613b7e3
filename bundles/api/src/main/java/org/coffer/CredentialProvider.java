package org.coffer;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What applications call for their secrets.
 *
 * <p>The provider composes every registered keyring backend by {@code service.ranking}.
 * Reads walk the backends from the highest ranking down and the first answer wins;
 * writes and deletes go to the active backend: the highest-ranked one, or the one an
 * administrator pinned with {@link #use(String)}. Backends come and go at runtime;
 * a call sees a consistent list and is never blocked by a change.
 */
@ProviderType
public interface CredentialProvider {

    /**
     * Looks a secret up.
     *
     * @param service the service (for example a host or an application)
     * @param username the username, not empty
     * @return the secret of the first backend that has one, or empty
     * @throws NoKeyringException if no viable backend is installed
     * @throws KeyringLockedException if only locked backends could have answered
     * @throws BackendException if every backend failed
     */
    Optional<Secret> get(String service, String username);

    /**
     * Looks a credential up. With a username, same as {@link #get}; without one, the
     * first credential a backend holds for the service.
     *
     * @param service the service
     * @param username the username, or {@code null} for any
     * @return the credential, or empty
     * @throws NoKeyringException if no viable backend is installed
     * @throws BackendException if every backend failed
     */
    Optional<Credential> getCredential(String service, String username);

    /**
     * Stores a secret in the active backend, replacing any earlier value.
     *
     * @param service the service
     * @param username the username, not empty
     * @param secret the secret; the provider does not keep or destroy it
     * @throws IllegalArgumentException if the service or username is not acceptable
     * @throws NoKeyringException if no viable backend is installed
     * @throws BackendException if the active backend failed; nothing was written
     */
    void set(String service, String username, Secret secret);

    /**
     * Deletes a secret from the active backend.
     *
     * @param service the service
     * @param username the username
     * @return {@code true} if a secret was deleted, {@code false} if there was none
     * @throws NoKeyringException if no viable backend is installed
     * @throws BackendException if the active backend failed; nothing was changed
     */
    boolean delete(String service, String username);

    /**
     * Returns the viable backends, highest ranking first, the active one marked.
     *
     * @return an immutable snapshot
     */
    List<BackendInfo> backends();

    /**
     * Returns the viable backends followed by the installed backends that cannot work
     * on this machine, each with its reason.
     *
     * @return an immutable snapshot
     */
    List<BackendInfo> allBackends();

    /**
     * Returns the backend that writes go to.
     *
     * @return the active backend
     * @throws NoKeyringException if there is none
     */
    BackendInfo activeBackend();

    /**
     * Pins the active backend. The pin is stored in the configuration and survives a
     * restart.
     *
     * @param name a backend name as {@link BackendInfo#name()} gives it
     * @throws IllegalArgumentException if no installed backend has that name
     */
    void use(String name);

    /** Removes the pin: the highest-ranked viable backend becomes active again. */
    void useAutomatic();

    /**
     * Unlocks a locked backend, for example an encrypted keyring file.
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @param password the keyring password; the provider does not keep or destroy it
     * @throws IllegalArgumentException if no available backend has that name
     * @throws BackendException if the password is wrong; the backend stays locked
     */
    void unlock(String backend, Secret password);

    /**
     * Copies every entry a backend can list into another, reads each copy back to verify
     * it, and only when all copies are verified, deletes the originals if asked to.
     *
     * @param from the backend to copy from; it must be able to list its entries
     * @param to the backend to copy to
     * @param deleteSource whether to delete the originals once every copy is verified
     * @return the entries copied, in the source's order
     * @throws IllegalArgumentException if a backend is unknown, the same, or cannot list
     * @throws KeyringLockedException if either backend is locked
     * @throws BackendException if an entry could not be copied or verified; the source
     *         is then left complete
     */
    List<org.coffer.spi.KeyringEntry> migrate(String from, String to, boolean deleteSource);

    /**
     * Locks a backend again: it forgets its key material.
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @throws IllegalArgumentException if no available backend has that name
     */
    void lock(String backend);

    /**
     * Resolves a secret reference such as {@code keyring:service/username} or
     * {@code env:NAME} through the registered resolvers.
     *
     * @param reference {@code scheme:path}
     * @return the secret, or empty when the reference finds nothing
     * @throws IllegalArgumentException if the reference is malformed
     * @throws CofferException if no resolver handles the scheme, or it failed
     */
    Optional<Secret> resolve(String reference);

    /**
     * Describes the provider and every installed backend: paths, the active backend and
     * warnings (for example about unencrypted storage).
     *
     * @return the provider's diagnosis first, then one per backend
     */
    List<Diagnosis> diagnose();
}
