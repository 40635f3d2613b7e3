package org.coffer;

/**
 * The access policy (PID {@code org.coffer.access}) gives the calling bundle no right to
 * what it asked for. The message names the bundle and the entry or the operation, never
 * a value.
 */
public class AccessDeniedException extends CofferException {

    private static final long serialVersionUID = 1L;

    /** @param message which bundle was refused what, and which rule would allow it */
    public AccessDeniedException(String message) {
        super(message);
    }
}
