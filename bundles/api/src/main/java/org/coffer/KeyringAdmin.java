package org.coffer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Administration of the keyrings: which backends there are, which one receives writes,
 * locking and unlocking them, migrating entries and the audit. Applications use
 * {@link CredentialProvider}; the access policy (PID {@code org.coffer.access}) names the
 * bundles that may pin, unlock, lock and migrate. Like the provider, the service knows
 * the bundle that calls it: every change is audited under that bundle's name.
 */
@ProviderType
public interface KeyringAdmin {

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
     * Returns the backend pinned with {@link #use(String)}, if any.
     *
     * @return the pinned backend's name, or empty when the highest ranking wins
     * @since 2.2
     */
    Optional<String> pinned();

    /**
     * Lists the entries of one backend: services and usernames, never values. Checked as
     * administration; a refusal or a failure is audited.
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @return the entries in the backend's order
     * @throws IllegalArgumentException if no available backend has that name, or it
     *         cannot list its entries
     * @throws KeyringLockedException if the backend is locked
     * @since 2.2
     */
    List<KeyringEntry> entries(String backend);

    /**
     * Stores a secret in the named backend rather than the active one. Checked and
     * audited as a write of the entry.
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @param service the service
     * @param username the username
     * @param secret the secret; the provider does not keep or destroy it
     * @throws IllegalArgumentException if no available backend has that name or a name is empty
     * @throws BackendException if the backend could not store it
     * @since 2.2
     */
    void set(String backend, String service, String username, Secret secret);

    /**
     * Deletes an entry from the named backend rather than the active one. Checked and
     * audited as a deletion of the entry.
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @param service the service
     * @param username the username
     * @return whether there was such an entry
     * @since 2.2
     */
    boolean delete(String backend, String service, String username);

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
     * Stores a secret in the named backend, which forgets it by itself after the
     * lifetime: {@code keyring:unlock --cache 15m} keeps the keyring password so in the
     * kernel keyring. Checked and audited as a write of the entry.
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @param service the service
     * @param username the username
     * @param secret the secret; the provider does not keep or destroy it
     * @param lifetime how long the entry lives, positive
     * @throws IllegalArgumentException if no available backend has that name, a name is
     *         empty or the lifetime is not positive
     * @throws UnsupportedOperationException if that backend cannot let an entry expire
     * @throws BackendException if the backend could not store it
     * @since 2.1
     */
    void setExpiring(String backend, String service, String username, Secret secret, Duration lifetime);

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
    List<KeyringEntry> migrate(String from, String to, boolean deleteSource);

    /**
     * Migrates as {@link #migrate(String, String, boolean)} does, telling the progress
     * after each entry copied and verified.
     *
     * @param from the backend to copy from
     * @param to the backend to copy to
     * @param deleteSource whether to delete the originals once every copy is verified
     * @param progress told the entries done and the total, from the migrating thread
     * @return the entries copied, in the source's order
     * @since 2.2
     */
    List<KeyringEntry> migrate(String from, String to, boolean deleteSource, Progress progress);

    /**
     * Locks a backend again: it forgets its key material.
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @throws IllegalArgumentException if no available backend has that name
     */
    void lock(String backend);

    /**
     * Rebuilds a backend's torn or damaged keyring file from the entries that can be
     * read, after keeping a copy of it beside it ({@code <file>.damaged-<time>}, mode
     * 0600): the way out when its reads and writes fail with an
     * {@link IntegrityException}. A whole file is left as it is. Checked and audited as
     * administration ({@code REPAIR}).
     *
     * @param backend a backend name as {@link BackendInfo#name()} gives it
     * @return what was done: the copy, how many entries were kept and which were left
     *         out, never a value
     * @throws IllegalArgumentException if no available backend has that name
     * @throws UnsupportedOperationException if that backend keeps no file it could rebuild
     * @throws BackendException if the file could not be read or written; it is left as it was
     * @since 3.1
     */
    String repair(String backend);

    /**
     * Describes the provider and every installed backend: paths, the active backend and
     * warnings (for example about unencrypted storage).
     *
     * @return the provider's diagnosis first, then one per backend
     */
    List<Diagnosis> diagnose();

    /**
     * Returns the most recent audit events, oldest first.
     *
     * @param after only events with a larger {@link AuditEvent#sequence()}; 0 for all kept
     * @return an immutable snapshot, at most the last few hundred
     */
    List<AuditEvent> audit(long after);

    /** How far a migration is. */
    @FunctionalInterface
    interface Progress {

        /**
         * @param done the entries copied and verified so far
         * @param total the entries to copy
         */
        void entries(int done, int total);
    }
}
