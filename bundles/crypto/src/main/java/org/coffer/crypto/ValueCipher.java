package org.coffer.crypto;

import org.coffer.Secret;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypts values under one master password, in the form credentials.xml's
 * {@code encrypted:} values and {@code ENC(...)} values store: what a caller of
 * {@link MasterKey#rekey} re-encrypts its files with.
 */
@ProviderType
public interface ValueCipher {

    /**
     * Encrypts a value with {@code PBEWITHHMACSHA512ANDAES_256}, random salt and IV.
     *
     * @param value the value; not kept
     * @return base64 of salt, IV and ciphertext, without prefix
     * @throws IllegalArgumentException if the value holds a control character: only text is encrypted
     */
    String encrypt(Secret value);
}
