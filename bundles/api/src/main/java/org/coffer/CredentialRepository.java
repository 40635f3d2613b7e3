package org.coffer;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Credentials grouped by environment, as Pineapple's {@code credentials.xml} holds
 * them: each credential has an id, a user and a password, and the passwords are stored
 * encrypted with a master password.
 *
 * <p>Every change is saved at once, atomically, under a lock that serialises writers in
 * this and other processes; a change that cannot be saved leaves the file and the
 * repository as they were. Reads never block and see a consistent state. Passwords are
 * held encrypted in memory and decrypted only when {@link #get} returns them.
 */
@ProviderType
public interface CredentialRepository {

    /** @return the file the credentials are stored in */
    Path file();

    /**
     * @return every environment with the users of its credentials, in file order
     */
    List<CredentialEnvironment> environments();

    /**
     * @param environment an environment id
     * @return the environment, or empty if there is none with that id
     */
    Optional<CredentialEnvironment> environment(String environment);

    /**
     * Creates an environment without credentials.
     *
     * @param environment the id, not empty
     * @param description the description, or empty
     * @throws IllegalArgumentException if the id is empty or already used
     * @throws CofferException if the file could not be saved; nothing was changed
     */
    void createEnvironment(String environment, String description);

    /**
     * Changes the description of an environment; its credentials stay as they are.
     *
     * @param environment the id
     * @param description the new description
     * @throws IllegalArgumentException if there is no such environment
     * @throws CofferException if the file could not be saved; nothing was changed
     */
    void updateEnvironment(String environment, String description);

    /**
     * Deletes an environment with its credentials.
     *
     * @param environment the id
     * @return {@code true} if it was deleted, {@code false} if there was none
     * @throws CofferException if the file could not be saved; nothing was changed
     */
    boolean deleteEnvironment(String environment);

    /**
     * @param environment the environment id
     * @param id the credential id
     * @return whether the environment holds a credential with that id
     */
    boolean contains(String environment, String id);

    /**
     * Returns a credential with its password, decrypted for this call.
     *
     * @param environment the environment id
     * @param id the credential id
     * @return the user and password, or empty if there is none; the caller destroys the secret
     */
    Optional<Credential> get(String environment, String id);

    /**
     * Creates a credential; its password is saved encrypted.
     *
     * @param environment an existing environment id
     * @param id the credential id, not empty
     * @param user the user
     * @param password the password; the repository does not keep or destroy it
     * @throws IllegalArgumentException if the environment is missing or the id already used
     * @throws CofferException if the file could not be saved; nothing was changed
     */
    void create(String environment, String id, String user, Secret password);

    /**
     * Replaces the user and password of a credential.
     *
     * @param environment the environment id
     * @param id the credential id
     * @param user the new user
     * @param password the new password; the repository does not keep or destroy it
     * @throws IllegalArgumentException if there is no such credential
     * @throws CofferException if the file could not be saved; nothing was changed
     */
    void update(String environment, String id, String user, Secret password);

    /**
     * @param environment the environment id
     * @param id the credential id
     * @return {@code true} if it was deleted, {@code false} if there was none
     * @throws CofferException if the file could not be saved; nothing was changed
     */
    boolean delete(String environment, String id);

    /**
     * Reads the file again, for example after it was edited by hand. Clear-text
     * passwords are encrypted and saved; the master password is not read again.
     *
     * @throws ConfigFormatException if the file does not parse; the previous state is kept
     * @throws CofferException if a value does not decrypt; the previous state is kept
     */
    void refresh();

    /**
     * Encrypts every password under a new, random master password and replaces the
     * master password. Crash-safe: if the process dies at any point, the next start
     * finds files that decrypt with the master password on disk.
     *
     * @throws CofferException if the master password does not come from a file, or the
     *     files could not be written; nothing was changed
     */
    void rekey();

    /**
     * Encrypts a value under the master password, as the {@code encrypted:} values of
     * the file and {@code ENC(...)} property values hold it.
     *
     * @param value the value; the repository does not keep or destroy it
     * @return the ciphertext, without prefix
     * @throws CofferException if no master password is available
     */
    String encrypt(Secret value);
}
