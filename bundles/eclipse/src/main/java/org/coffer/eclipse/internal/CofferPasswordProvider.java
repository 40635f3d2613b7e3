package org.coffer.eclipse.internal;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.PBEKeySpec;
import org.eclipse.equinox.security.storage.provider.IPreferencesContainer;
import org.eclipse.equinox.security.storage.provider.PasswordProvider;

/**
 * Equinox Secure Storage's password provider (module id {@code org.coffer.eclipse.provider},
 * priority 6, above Eclipse's own providers for the operating system's store): the
 * master password of each storage file is a Coffer entry ({@link MasterPasswords}).
 *
 * <p>The extension registry makes this class with its no-argument constructor, so it
 * reaches Coffer through its bundle's context ({@link Activator}), not through DS. It is
 * always valid: Coffer's reason for not giving a password is an exception, never a
 * silent fall back to another provider or to an unencrypted value.
 */
public final class CofferPasswordProvider extends PasswordProvider {

    /** Storages whose password did not verify, and which get the one before the last change once. */
    private final Map<String, Boolean> retrying = new ConcurrentHashMap<>();

    @Override
    public PBEKeySpec getPassword(IPreferencesContainer container, int passwordType) {
        String storage = storage(container);
        MasterPasswords passwords = Activator.masterPasswords();
        char[] password;
        if ((passwordType & (CREATE_NEW_PASSWORD | PASSWORD_CHANGE)) != 0) {
            retrying.remove(storage);
            password = passwords.create(storage);
        } else if (retrying.remove(storage) != null) {
            password = passwords.previous(storage).orElseGet(() -> passwords.current(storage));
        } else {
            password = passwords.current(storage);
        }
        try {
            return new PBEKeySpec(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * The password did not open the storage: once, the password a change replaced is
     * tried, for a storage last saved before the change.
     */
    @Override
    public boolean retryOnError(Exception e, IPreferencesContainer container) {
        String storage = storage(container);
        Optional<char[]> previous = Activator.masterPasswords().previous(storage);
        previous.ifPresent(chars -> Arrays.fill(chars, '\0'));
        return previous.isPresent() && retrying.putIfAbsent(storage, Boolean.TRUE) == null;
    }

    /** @return the canonical path of the container's storage file: the username of its entry */
    static String storage(IPreferencesContainer container) {
        URL location = container.getLocation();
        try {
            File file = location == null ? defaultStorage().toFile() : Path.of(location.toURI()).toFile();
            return file.getCanonicalPath();
        } catch (URISyntaxException | IllegalArgumentException | IOException e) {
            throw new MasterPasswordUnavailableException("Coffer keeps master passwords for storage files only, not for "
                    + location + ": " + e.getMessage(), e);
        }
    }

    /** @return where Equinox keeps a user's storage when nobody says otherwise */
    static Path defaultStorage() {
        return Path.of(System.getProperty("user.home"), ".eclipse", "org.eclipse.equinox.security", "secure_storage");
    }
}
