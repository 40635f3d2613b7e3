package org.coffer.backend.wincred.internal;

import java.util.Arrays;

/**
 * A generic credential: target name, user name, blob, comment and persistence. The
 * blob is a copy; {@link #wipe} clears it.
 */
final class StoredCredential {

    /** The comment Python's keyring writes. */
    static final String COMMENT = "Stored using python-keyring";

    final String target;
    final String username;
    final byte[] blob;
    final String comment;
    final int persist;

    StoredCredential(String target, String username, byte[] blob, String comment, int persist) {
        this.target = target;
        this.username = username;
        this.blob = blob.clone();
        this.comment = comment;
        this.persist = persist;
    }

    void wipe() {
        Arrays.fill(blob, (byte) 0);
    }

    @Override
    public String toString() {
        return "credential " + target + " of " + username;
    }
}
