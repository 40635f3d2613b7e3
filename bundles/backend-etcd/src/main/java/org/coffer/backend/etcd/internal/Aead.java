package org.coffer.backend.etcd.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.coffer.CofferException;

/** AES-256-GCM with a fresh 96-bit nonce per value, stored before the ciphertext and its 128-bit tag. */
final class Aead {

    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {
    }

    /** @return nonce, ciphertext and tag */
    static byte[] seal(SecretKey key, byte[] plain, byte[] associated) {
        byte[] nonce = random(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associated);
            byte[] sealed = Arrays.copyOf(nonce, NONCE_BYTES + plain.length + TAG_BYTES);
            cipher.doFinal(plain, 0, plain.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new CofferException("This Java runtime cannot encrypt with AES-256-GCM: " + e.getMessage(), e);
        }
    }

    /**
     * @return the plain text; the caller wipes it
     * @throws AEADBadTagException if the key, the associated data or the bytes are not those it was sealed with
     */
    static byte[] open(SecretKey key, byte[] sealed, int offset, byte[] associated) throws AEADBadTagException {
        if (sealed.length - offset < NONCE_BYTES + TAG_BYTES) {
            throw new AEADBadTagException("shorter than a nonce and a tag");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, offset, NONCE_BYTES));
            cipher.updateAAD(associated);
            return cipher.doFinal(sealed, offset + NONCE_BYTES, sealed.length - offset - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new CofferException("This Java runtime cannot decrypt AES-256-GCM: " + e.getMessage(), e);
        }
    }

    static byte[] random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return random;
    }
}
