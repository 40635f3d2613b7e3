package org.coffer.keyringfile;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key material of an unlocked keyring whose values each name a salt: the password,
 * and the key derived for every salt met since the unlock, so that a password-based key
 * derivation runs once per salt instead of once per value.
 */
public abstract class SaltedKeys implements KeyringCipher.Keys {

    private final byte[] password;
    private final Map<ByteBuffer, byte[]> bySalt = new ConcurrentHashMap<>();
    private volatile boolean destroyed;

    /** @param password the encoded password; this object owns and clears it */
    protected SaltedKeys(byte[] password) {
        this.password = password;
    }

    /**
     * @param password the encoded password
     * @param salt a salt
     * @return the key for that salt
     * @throws GeneralSecurityException if the derivation failed
     */
    protected abstract byte[] derive(byte[] password, byte[] salt) throws GeneralSecurityException;

    /**
     * @param salt a salt
     * @return its key, derived on first use
     * @throws GeneralSecurityException if the derivation failed
     * @throws IllegalStateException if the keyring was locked meanwhile
     */
    public final byte[] key(byte[] salt) throws GeneralSecurityException {
        if (destroyed) {
            throw new IllegalStateException("The keyring was locked");
        }
        ByteBuffer id = ByteBuffer.wrap(salt.clone());
        byte[] key = bySalt.get(id);
        if (key == null) {
            key = derive(password, salt);
            if (destroyed) {
                // locked while deriving: the password may have been cleared under the derivation
                Arrays.fill(key, (byte) 0);
                throw new IllegalStateException("The keyring was locked");
            }
            bySalt.putIfAbsent(id, key);
        }
        return key;
    }

    @Override
    public final void destroy() {
        destroyed = true;
        Arrays.fill(password, (byte) 0);
        bySalt.values().forEach(key -> Arrays.fill(key, (byte) 0));
        bySalt.clear();
    }

    @Override
    public final boolean isDestroyed() {
        return destroyed;
    }
}
