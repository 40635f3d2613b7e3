package org.coffer.eclipse.internal;

import java.nio.file.Path;
import java.util.Optional;
import org.coffer.backend.eclipse.storage.PasswordCheck;

/**
 * Which of two master passwords passes Equinox's password check in a storage file, read
 * with the eclipse backend's storage package when that bundle is there. Equinox asks for
 * the password again without {@code retryOnError} when a wrong password decrypts its
 * check into noise (about once in 256), so the provider chooses before it answers.
 */
final class StorageCheck {

    private static final String PACKAGE_CLASS = "org.coffer.backend.eclipse.storage.PasswordCheck";

    private StorageCheck() {
    }

    /** @return whether the eclipse backend's storage package is wired to this bundle */
    static boolean available() {
        try {
            Class.forName(PACKAGE_CLASS, false, StorageCheck.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError missing) {
            return false;
        }
    }

    /**
     * @param storage the storage file's canonical path
     * @param current the current master password
     * @param previous the one the last change replaced
     * @return whether the file's check for Coffer's module passes the previous password and not the current one
     */
    static boolean onlyPreviousPasses(String storage, char[] current, char[] previous) {
        Path file = Path.of(storage);
        Optional<Boolean> currentPasses = PasswordCheck.passes(file, CofferPasswordProvider.MODULE_ID, current);
        return currentPasses.isPresent() && !currentPasses.get()
                && PasswordCheck.passes(file, CofferPasswordProvider.MODULE_ID, previous).orElse(false);
    }
}
