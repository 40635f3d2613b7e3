package org.coffer;

/**
 * No viable keyring backend could serve the call. The message says what to install
 * or enable.
 */
public class NoKeyringException extends CofferException {

    private static final long serialVersionUID = 1L;

    /** @param message what is missing and what to install or enable */
    public NoKeyringException(String message) {
        super(message);
    }
}
