package org.coffer.keyringfile;

import java.io.IOException;
import java.nio.file.Path;
import org.coffer.IntegrityException;

/**
 * A keyring file that is torn or truncated: it ends inside a value that is cut or empty,
 * in a cut line, or it is empty while Coffer's lock file records that Coffer wrote a
 * longer version. Such a file is neither read as "not found" nor written over; the
 * message names the file and the reason, never a value.
 *
 * @since 4.1
 */
public final class TornKeyringFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the keyring file
     * @param reason what is cut, naming entries but never a value
     */
    public TornKeyringFileException(Path file, String reason) {
        super(file + " is torn or truncated: " + reason);
        this.file = file;
    }

    /** @return the keyring file */
    public Path file() {
        return file;
    }

    /**
     * @param backend the backend's name
     * @param what what could not be done, for example {@code "read 'alice' in 'svc'"}
     * @return the integrity failure a backend reports: the file, the reason, that nothing
     *         was written, and how to rebuild the file
     */
    public IntegrityException toIntegrityFailure(String backend, String what) {
        return new IntegrityException("The " + backend + " backend cannot " + what + ": " + getMessage()
                + ". Nothing was written. If no other program is writing the file now, 'keyring:repair " + backend
                + "' keeps a copy of it and rebuilds it from the entries that can be read.", this);
    }
}
