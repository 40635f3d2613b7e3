package org.coffer.keyringfile;

import java.security.GeneralSecurityException;
import javax.security.auth.Destroyable;

/**
 * The encryption of one encrypted keyring-file format (keyrings.cryptfile,
 * keyrings.alt EncryptedKeyring): how a value is sealed with the keyring password and
 * opened again.
 */
public interface KeyringCipher {

    /** @return the {@code scheme} the file's header names, for example {@code [Argon2] AES128.GCM} */
    String scheme();

    /** @return the {@code version} Coffer writes into the header of a new file */
    String version();

    /**
     * Prepares the key material of a password; derived keys are cached in it.
     *
     * @param password the keyring password; the cipher keeps its own copy
     * @return the key material, destroyed on lock
     * @throws IllegalArgumentException if the format cannot use this password
     */
    Keys keys(char[] password);

    /**
     * @param keys the key material
     * @param service the service
     * @param username the username, as the caller gave it
     * @param plaintext the UTF-8 value
     * @return the payload to store (before the INI base64 layer)
     * @throws GeneralSecurityException if the cipher failed
     */
    byte[] seal(Keys keys, String service, String username, byte[] plaintext) throws GeneralSecurityException;

    /**
     * @param keys the key material
     * @param service the service
     * @param username the username, as the caller gave it
     * @param payload the stored payload
     * @param fileVersion the {@code version} of the file's header, or {@code null}
     * @return the UTF-8 value
     * @throws GeneralSecurityException if the password is wrong or the value was tampered with
     */
    byte[] open(Keys keys, String service, String username, byte[] payload, String fileVersion)
            throws GeneralSecurityException;

    /** Key material of an unlocked keyring. */
    interface Keys extends Destroyable {
        @Override
        void destroy();
    }
}
