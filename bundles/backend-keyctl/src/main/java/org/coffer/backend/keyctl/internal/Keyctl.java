package org.coffer.backend.keyctl.internal;

import java.util.List;
import java.util.Optional;

/**
 * The calls of the kernel's key retention service that the backend makes: the seam
 * between the backend's logic and the native library. Every failure is a {@link
 * KeyctlException} carrying the errno.
 */
public interface Keyctl {

    /** {@code KEY_SPEC_SESSION_KEYRING} */
    int SESSION = -3;
    /** {@code KEY_SPEC_USER_KEYRING} */
    int USER = -4;

    /**
     * @param destination the keyring to link the user's persistent keyring into
     * @return the serial of the persistent keyring
     */
    int persistentKeyring(int destination);

    /**
     * @param keyring a keyring serial or special id
     * @return its serial; fails if it does not exist or cannot be reached
     */
    int resolve(int keyring);

    /** Adds a {@code user} key, or replaces the payload of the one with the same description. */
    int add(int keyring, String description, byte[] payload);

    /** @return the {@code user} key of that description in the keyring and the keyrings it links, if any */
    Optional<Integer> search(int keyring, String description);

    /** @return the key's payload; the caller wipes it */
    byte[] read(int key);

    /** Sets the key's expiry, in seconds from now; 0 for none. */
    void setTimeout(int key, int seconds);

    /** Destroys the key. Until the kernel collects it, a search may still meet it as revoked. */
    void invalidate(int key);

    /** Removes the key from the keyring at once. */
    void unlink(int key, int keyring);

    /** @return the serials the keyring links */
    List<Integer> links(int keyring);

    /** @return the key's type and description: {@code type;uid;gid;perm;description} */
    String describe(int key);

    /** Adds an empty keyring, for example for a test. */
    int addKeyring(int keyring, String description);
}
