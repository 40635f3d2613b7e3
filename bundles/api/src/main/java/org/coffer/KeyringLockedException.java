package org.coffer;

/**
 * The keyring holds the answer but is locked; the message says how to unlock it.
 */
public class KeyringLockedException extends CofferException {

    private static final long serialVersionUID = 1L;

    /** @param message which backend is locked and how to unlock it */
    public KeyringLockedException(String message) {
        super(message);
    }
}
