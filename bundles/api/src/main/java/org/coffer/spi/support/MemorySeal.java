package org.coffer.spi.support;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.coffer.CofferException;
import org.coffer.Secret;

/**
 * Keeps values encrypted in memory under a random AES-256-GCM key that never leaves
 * this process, so that a use costs an AES operation (microseconds) rather than a
 * password-based key derivation. Thread-safe.
 */
public final class MemorySeal {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    /** Creates a seal with a fresh random key. */
    public MemorySeal() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, random);
            key = generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new CofferException("This Java runtime offers no AES-256: " + e.getMessage(), e);
        }
    }

    /**
     * @param value the value; not kept
     * @return the value encrypted under this seal's key
     */
    public SealedSecret seal(Secret value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = value.utf8();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            return new SealedSecret(nonce, cipher.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new CofferException("Could not seal a value in memory: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * @param sealed a value this seal sealed
     * @return the value; the caller destroys it
     * @throws CofferException if another seal sealed it
     */
    public Secret open(SealedSecret sealed) {
        byte[] plain = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce));
            plain = cipher.doFinal(sealed.ciphertext);
            return Secret.fromUtf8(plain);
        } catch (GeneralSecurityException e) {
            throw new CofferException("A value sealed in memory does not open with this process's key", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }
}
