package org.coffer.eclipse.internal;

/**
 * Coffer cannot give a secure storage its master password: no Coffer provider, a locked
 * keyring and nobody to ask, a refusal of the access policy. Unchecked on purpose: Equinox
 * takes a {@code null} password, headless, as leave to store the value unencrypted, and
 * an invalid provider as leave to use another one; this exception stops the read or write
 * that needed the password, and carries Coffer's reason to the caller. Never holds a
 * value.
 */
public final class MasterPasswordUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    MasterPasswordUnavailableException(String message) {
        super(message);
    }

    MasterPasswordUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
