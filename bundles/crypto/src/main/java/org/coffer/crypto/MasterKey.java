package org.coffer.crypto;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.coffer.CofferException;
import org.coffer.Secret;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The master password of Pineapple's {@code credentials.xml} and of {@code ENC(...)}
 * values, as a service. It is read once, at the first use, and kept for the life of
 * the service: a refresh of the files does not read it again. Values a caller keeps in
 * memory between uses it seals itself ({@link org.coffer.spi.support.MemorySeal}).
 */
@ProviderType
public interface MasterKey {

    /** @return where the master password comes from, for messages (never the password) */
    String source();

    /**
     * Encrypts a value under the master password with {@code PBEWITHHMACSHA512ANDAES_256}.
     * When the master password comes from a file that does not exist yet, the file is
     * created with a random password.
     *
     * @param value the value; not kept
     * @return base64 of salt, IV and ciphertext
     * @throws CofferException if no master password is available
     */
    String encrypt(Secret value);

    /**
     * Decrypts a value. Never creates a master password.
     *
     * @param ciphertext the stored value, without prefix
     * @param what names the value in an error, for example its environment and id
     * @return the value; the caller destroys it
     * @throws CofferException naming {@code what} if the value does not decrypt, or if
     *     the master password is missing
     */
    Secret decrypt(String ciphertext, String what);

    /**
     * Replaces the master password with a new random one, and with it the files the
     * caller re-encrypts, crash-safe. The caller holds the writer locks of those files.
     *
     * @param reencrypt given a cipher under the new password, returns the new content
     *     of each file
     * @throws CofferException if the master password does not come from a file, or the
     *     rotation failed before its commit (nothing changed)
     */
    void rekey(Function<ValueCipher, Map<Path, byte[]>> reencrypt);
}
