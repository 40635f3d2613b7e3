package org.coffer.eclipse.internal;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
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

    /** The module id Equinox knows this provider by (plugin.xml: the bundle's id and the extension's). */
    static final String MODULE_ID = "org.coffer.eclipse.provider";

    /** Storages whose next request gets the password the last change replaced. */
    private final Set<String> offerPrevious = ConcurrentHashMap.newKeySet();
    /** Storages that were offered it: once is enough (Equinox would ask up to 20 times). */
    private final Set<String> offered = ConcurrentHashMap.newKeySet();

    @Override
    public PBEKeySpec getPassword(IPreferencesContainer container, int passwordType) {
        String storage = storage(container);
        MasterPasswords passwords = Activator.masterPasswords();
        char[] password;
        if ((passwordType & (CREATE_NEW_PASSWORD | PASSWORD_CHANGE)) != 0) {
            offerPrevious.remove(storage);
            offered.remove(storage);
            password = passwords.create(storage);
        } else if (offerPrevious.remove(storage)) {
            password = passwords.previous(storage).orElseGet(() -> passwords.current(storage));
        } else {
            password = currentOrPrevious(passwords, storage);
        }
        try {
            return new PBEKeySpec(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * @return the current password, or the one the last change replaced when only that one passes the
     *         storage's password check (a storage not saved after the change)
     */
    private static char[] currentOrPrevious(MasterPasswords passwords, String storage) {
        char[] current = passwords.current(storage);
        if (!StorageCheck.available()) {
            return current;
        }
        Optional<char[]> previous = passwords.previous(storage);
        if (previous.isEmpty()) {
            return current;
        }
        if (StorageCheck.onlyPreviousPasses(storage, current, previous.get())) {
            Arrays.fill(current, '\0');
            return previous.get();
        }
        Arrays.fill(previous.get(), '\0');
        return current;
    }

    /**
     * The password did not open the storage: once, the password a change replaced is
     * offered, for a storage last saved before the change.
     */
    @Override
    public boolean retryOnError(Exception e, IPreferencesContainer container) {
        String storage = storage(container);
        if (!offered.add(storage)) {
            return false;
        }
        Optional<char[]> previous = Activator.masterPasswords().previous(storage);
        previous.ifPresent(chars -> Arrays.fill(chars, '\0'));
        if (previous.isPresent()) {
            offerPrevious.add(storage);
        }
        return previous.isPresent();
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
