package org.coffer.backend.eclipse.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.coffer.BackendException;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.backend.eclipse.storage.PasswordCheck;
import org.coffer.backend.eclipse.storage.SecureStorage;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Equinox Secure Storage, read without Equinox: the {@code secure_storage} file of an
 * Eclipse IDE or RCP application, decrypted with its master password (the
 * {@code -eclipse.password} file's, or one given to {@code keyring:unlock eclipse}).
 * EGit's Git passwords are entries (URI, user); every other encrypted value is an entry
 * (node path, key).
 *
 * <p>Read-only: Eclipse rewrites the whole file from its memory at every flush, so a
 * value written beside a running Eclipse would be lost. {@code keyring:migrate eclipse
 * cryptfile} copies the entries into a keyring of Coffer's. The file is read again at
 * every call, so what Eclipse saved is seen at once.
 */
@Component(service = KeyringBackend.class, configurationPid = EclipseBackend.PID,
        property = {"service.ranking:Integer=" + EclipseBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + EclipseBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + EclipseProbe.CONDITION + ")")
@Designate(ocd = EclipseConfig.class)
public final class EclipseBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.eclipse";
    /** Below every store of Coffer's: it answers only what no other backend holds, and never takes a write. */
    static final int DEFAULT_RANKING = 20;
    static final String NAME = "eclipse";
    /** The service of the entries that hold master passwords for Coffer's Eclipse password provider. */
    static final String COFFER_SERVICE = "eclipse secure storage";

    private final Path file;
    private final String name;
    private final Set<KeyringEntry> passwordEntry;
    private volatile Secret password;

    @Activate
    public EclipseBackend(EclipseConfig config) throws IOException {
        this(fileOf(config, System.getenv()), config.name(), config.password_service().isBlank() ? Set.of()
                : Set.of(new KeyringEntry(config.password_service(), config.password_username())));
        if (!config.password_file().isBlank()) {
            unlock(SecureStorage.passwordFile(Path.of(config.password_file())));
        }
    }

    EclipseBackend(Path file, String name) {
        this(file, name, Set.of());
    }

    /**
     * @param passwordEntry the entry of another backend that holds the master password
     *        ({@code password.service}, {@code password.username}), or none
     */
    EclipseBackend(Path file, String name, Set<KeyringEntry> passwordEntry) {
        this.file = file;
        this.name = name;
        Set<KeyringEntry> entries = new java.util.LinkedHashSet<>(passwordEntry);
        entries.add(coffersEntry(file));
        this.passwordEntry = Set.copyOf(entries);
    }

    /**
     * @return the entry where Coffer's Eclipse password provider keeps the master password of the
     *         file (as {@code org.coffer.eclipse} and {@code eclipse:takeover} write it)
     */
    static KeyringEntry coffersEntry(Path file) {
        String path;
        try {
            path = file.toFile().getCanonicalPath();
        } catch (IOException e) {
            path = file.toAbsolutePath().normalize().toString();
        }
        return new KeyringEntry(COFFER_SERVICE, path);
    }

    /**
     * @return the entries that may hold the master password: the one {@code password.service} names, and
     *         the one of Coffer's own Eclipse password provider
     */
    @Override
    public Set<KeyringEntry> protectedEntries() {
        return passwordEntry;
    }

    @Override
    public boolean awaitsEntries() {
        return isLocked();
    }

    /**
     * Unlocks with the master password the provider read from the declared entry.
     *
     * @throws BackendException if it decrypts none of the file's values; it stays locked
     */
    @Override
    public void supply(KeyringEntry entry, Secret value) {
        if (passwordEntry.contains(entry) && isLocked()) {
            unlock(value);
        }
    }

    /** @return the configured file, else Eclipse's own under the user's home */
    static Path fileOf(EclipseConfig config, Map<String, String> env) {
        return config.file().isBlank()
                ? SecureStorage.defaultFile(env) : Path.of(config.file());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Eclipse secure storage " + file + " (read-only)";
    }

    @Override
    public boolean isLocked() {
        return password == null;
    }

    /**
     * Takes the master password once it opens the values of a module of the file (Equinox's
     * password check, or every value of a module without one), or the file holds none yet.
     *
     * @throws BackendException if it opens no module's values
     */
    @Override
    public void unlock(Secret given) {
        SecureStorage storage = read();
        char[] chars = given.chars();
        try {
            int encrypted = EclipseEntries.of(storage).size();
            if (encrypted == 0 || !PasswordCheck.modulesOpenedBy(storage, chars).isEmpty()) {
                password = Secret.of(chars);
                return;
            }
            throw new BackendException("The password given for the eclipse backend decrypts none of the "
                    + encrypted + " encrypted values of " + file + "; it stays locked");
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public void lock() {
        password = null;
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        SecureStorage storage = read();
        SecureStorage.Value value = EclipseEntries.of(storage).get(new KeyringEntry(service, username));
        if (value == null) {
            return Optional.empty();
        }
        Secret master = password;
        if (master == null) {
            throw new KeyringLockedException("The eclipse backend is locked: unlock it with keyring:unlock eclipse,"
                    + " or name Eclipse's -eclipse.password file as password.file, or an entry of another backend"
                    + " as password.service and password.username, in etc/" + PID + ".cfg");
        }
        char[] chars = master.chars();
        try {
            byte[] clear = storage.decrypt(value, chars);
            try {
                return Optional.of(Secret.fromUtf8(clear));
            } finally {
                Arrays.fill(clear, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new BackendException("The eclipse backend cannot decrypt '" + username + "' in '" + service + "' of "
                    + file + ": it was encrypted by " + (value.moduleId() == null ? "no module" : value.moduleId())
                    + " with another master password than the one given");
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public void set(String service, String username, Secret secret) {
        throw readOnly();
    }

    @Override
    public boolean delete(String service, String username) {
        throw readOnly();
    }

    private BackendException readOnly() {
        return new BackendException("The eclipse backend is read-only: Eclipse rewrites " + file + " whole from"
                + " its memory, so a change made beside it would be lost. Copy its entries into a keyring of"
                + " Coffer's with keyring:migrate " + name + " <backend>");
    }

    @Override
    public boolean canEnumerate() {
        return true;
    }

    @Override
    public List<KeyringEntry> entries() {
        return new ArrayList<>(EclipseEntries.of(read()).keySet());
    }

    @Override
    public Diagnosis diagnose() {
        Diagnosis.Builder diagnosis = Diagnosis.of(name).detail("file", file.toString()).detail("access", "read-only")
                .detail("locked", String.valueOf(isLocked()));
        try {
            SecureStorage storage = read();
            Map<KeyringEntry, SecureStorage.Value> entries = EclipseEntries.of(storage);
            TreeSet<String> modules = new TreeSet<>();
            entries.values().forEach(v -> modules.add(String.valueOf(v.moduleId())));
            diagnosis.detail("cipher", storage.cipher()).detail("entries", String.valueOf(entries.size()))
                    .detail("password modules", String.join(", ", modules));
        } catch (BackendException | org.coffer.ConfigFormatException e) {
            diagnosis.warning(e.getMessage());
        }
        return diagnosis.detail("compatible with", "Equinox Secure Storage 1.4 (Eclipse 4.30 and later, and before)")
                .build();
    }

    private SecureStorage read() {
        try {
            return SecureStorage.read(file);
        } catch (IOException e) {
            throw new BackendException("The eclipse backend cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
