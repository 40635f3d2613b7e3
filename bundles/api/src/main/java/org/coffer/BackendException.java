package org.coffer;

/**
 * A keyring backend failed: its store is unreadable or corrupt, it was stopped during
 * the call, or it refused the operation. The message names the backend.
 */
public class BackendException extends CofferException {

    private static final long serialVersionUID = 1L;

    /** @param message which backend failed, how, and what to do */
    public BackendException(String message) {
        super(message);
    }

    /**
     * @param message which backend failed, how, and what to do
     * @param cause the underlying failure
     */
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
