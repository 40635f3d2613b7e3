package org.coffer;

/**
 * The root of Coffer's unchecked exceptions. Messages say what failed, where (file,
 * line, backend) and what to do; they never contain a secret value.
 */
public class CofferException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to do */
    public CofferException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do
     * @param cause the underlying failure
     */
    public CofferException(String message, Throwable cause) {
        super(message, cause);
    }
}
