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
 * administrator pinned with {@link KeyringAdmin#use(String)}. Backends come and go at
 * runtime; a call sees a consistent list and is never blocked by a change.
 *
 * <p>The service knows the bundle that calls it. Once the access policy (PID
 * {@code org.coffer.access}) is enforced, a bundle reads and writes only the entries a
 * rule gives it, and every call is audited under its name.
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
     * @throws AccessDeniedException if the access policy gives the calling bundle no read of the entry
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
     * The same provider for a caller that acts on behalf of others it can name, such as a
     * service whose clients are programs on a bus: the access policy is still the calling
     * bundle's, and every audit record names the bundle and, after it, the peer as the
     * bundle describes it (information for a person reading the audit, never a right).
     *
     * @param peer who the calls are for, for example a program and its process id
     * @return a provider whose calls are audited with the peer
     * @since 3.2
     */
    default CredentialProvider forPeer(String peer) {
        return this;
    }
}
