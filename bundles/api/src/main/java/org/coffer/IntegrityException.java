package org.coffer;

/**
 * A backend holds a value for the entry, and the value cannot be trusted: it fails
 * authentication, is damaged, torn or truncated, or is older than one already seen
 * (rolled back). Unlike an unavailable backend, this stops a read: the provider does
 * not pass over to a lower backend for that entry, whose copy may be stale. The
 * message names the backend, the entry and the reason, never a value.
 *
 * @since 2.3
 */
public class IntegrityException extends BackendException {

    private static final long serialVersionUID = 1L;

    /** @param message which backend, which entry, and what is wrong with its value */
    public IntegrityException(String message) {
        super(message);
    }

    /**
     * @param message which backend, which entry, and what is wrong with its value
     * @param cause the underlying failure
     */
    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
