package org.coffer.keyringfile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.coffer.BackendException;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.keyringfile.internal.EncryptedKeyringStore;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.support.ConfigurationProbe;
import org.coffer.spi.support.KeyringPasswordSources;
import org.osgi.service.component.annotations.Deactivate;

/**
 * What the encrypted keyring-file backends share: an {@link EncryptedKeyringStore},
 * unlocked at start from {@code KEYRING_CRYPTFILE_PASSWORD} or
 * {@code COFFER_KEYRING_PASSWORD}, or from an entry of another backend that an
 * administrator named ({@code password.service}, {@code password.username}): it declares
 * that entry, and the provider supplies its value when the store is locked. It never
 * looks the provider up. A backend bundle subclasses it with its component annotations
 * and its cipher; the deactivation is declared here, once.
 */
public abstract class EncryptedKeyringBackend implements KeyringBackend {

    private final String name;
    private final String compatibleWith;
    private final EncryptedKeyringStore store;
    private final Map<String, String> environment;
    private final String passwordService;
    private final String passwordUsername;
    private final Set<KeyringEntry> passwordEntry;
    private volatile boolean stopped;

    /**
     * @param name the backend's name
     * @param compatibleWith the Python class that reads and writes the same file
     * @param file the keyring file; it need not exist yet
     * @param cipher the format's encryption
     * @param environment where the password variables are looked up
     * @param passwordService the service of another backend's entry that holds the
     *        password, or empty
     * @param passwordUsername its username
     */
    protected EncryptedKeyringBackend(String name, String compatibleWith, Path file, KeyringCipher cipher,
            Map<String, String> environment, String passwordService, String passwordUsername) {
        this.name = name;
        this.compatibleWith = compatibleWith;
        this.environment = environment;
        this.passwordService = passwordService;
        this.passwordUsername = passwordUsername;
        this.passwordEntry = passwordService == null || passwordService.isBlank() || passwordUsername == null
                || passwordUsername.isBlank() ? Set.of()
                : Set.of(new KeyringEntry(passwordService.strip(), passwordUsername.strip()));
        this.store = new EncryptedKeyringStore(name, file, cipher, this::automaticPassword);
        KeyringPasswordSources.variable(environment).ifPresent(variable -> {
            try (Secret password = Secret.of(environment.get(variable))) {
                store.unlock(password);
            } catch (BackendException wrongPassword) {
                // stays locked; the diagnosis says why
            }
        });
    }

    /**
     * Checks an encrypted keyring backend's configuration the way its component reads it,
     * for the probe that publishes the backend's condition or its absence.
     *
     * @param pid the configuration's PID
     * @param file computes the keyring file from the configuration
     * @param maxFileSizeMib {@code max.file.size.mib}
     * @param passwordService {@code password.service}
     * @param passwordUsername {@code password.username}
     * @return why the configuration cannot work, or {@code null} when it can
     */
    public static String whyNot(String pid, Supplier<Path> file, IntSupplier maxFileSizeMib,
            Supplier<String> passwordService, Supplier<String> passwordUsername) {
        return ConfigurationProbe.whyNot(pid, () -> {
            file.get();
            if (maxFileSizeMib.getAsInt() < 1) {
                throw new IllegalArgumentException("max.file.size.mib must be 1 or more, not "
                        + maxFileSizeMib.getAsInt());
            }
            if (passwordService.get().isBlank() != passwordUsername.get().isBlank()) {
                throw new IllegalArgumentException("password.service and password.username go together: name"
                        + " both, or neither");
            }
        });
    }

    /** @param mebibytes the largest keyring file read, from the backend's {@code max.file.size.mib} */
    protected void limitFileSize(int mebibytes) {
        store.limitFileSize((long) mebibytes << 20);
    }

    /** @return the entry this keyring's password is kept in, when {@code password.service} names one */
    @Override
    public Set<KeyringEntry> protectedEntries() {
        return passwordEntry;
    }

    /**
     * @return whether it is locked, names an entry of another backend for its password, and
     *         the environment holds none (a password variable comes first, as it always did)
     */
    @Override
    public boolean awaitsEntries() {
        return !passwordEntry.isEmpty() && !stopped && store.isLocked()
                && KeyringPasswordSources.variable(environment).isEmpty();
    }

    /**
     * Unlocks the store with the password the provider read from the declared entry;
     * nothing when it is unlocked already.
     *
     * @throws BackendException if the password is wrong; the store stays locked and says why
     */
    @Override
    public void supply(KeyringEntry entry, Secret value) {
        if (passwordEntry.contains(entry) && !stopped && store.isLocked()) {
            store.unlock(value);
        }
    }

    /** Forgets the key and refuses further calls; the component's deactivation. */
    @Deactivate
    protected void deactivate() {
        stopped = true;
        store.lock();
    }

    /**
     * The password of a locked store: the environment's, tried again on every use while
     * the store is locked, so a failure says why (a damaged file, a wrong password) and
     * not just "locked". The entry of another backend is the provider's to supply.
     */
    private Optional<Secret> automaticPassword() {
        return KeyringPasswordSources.variable(environment).map(variable -> Secret.of(environment.get(variable)));
    }

    private EncryptedKeyringStore open() {
        if (stopped) {
            throw new BackendException("The " + name + " backend was stopped");
        }
        return store;
    }

    /** @return the keyring file */
    protected Path file() {
        return store.file();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Optional<Secret> get(String service, String username) {
        return open().get(service, username);
    }

    @Override
    public final void set(String service, String username, Secret secret) {
        open().put(service, username, secret);
    }

    @Override
    public final boolean delete(String service, String username) {
        return open().remove(service, username);
    }

    @Override
    public final boolean isLocked() {
        return store.isLocked();
    }

    @Override
    public final boolean awaitsFirstPassword() {
        return store.isLocked() && !java.nio.file.Files.exists(store.file());
    }

    @Override
    public final void unlock(Secret password) {
        open().unlock(password);
    }

    @Override
    public final void lock() {
        store.lock();
    }

    @Override
    public final boolean canEnumerate() {
        return true;
    }

    @Override
    public final List<KeyringEntry> entries() {
        return open().entries();
    }

    @Override
    public final String repair() {
        return open().repair();
    }

    @Override
    public final Diagnosis diagnose() {
        Diagnosis.Builder diagnosis = store.describe(Diagnosis.of(name)).detail("compatible with", compatibleWith);
        KeyringPasswordSources.variable(environment).ifPresent(v -> diagnosis.detail("password from", v));
        if (!passwordService.isBlank()) {
            diagnosis.detail("password from", "the entry '" + passwordUsername + "' in '" + passwordService + "'");
        }
        return diagnosis.build();
    }

    /** The user's keyring password, typed once, is tried on every encrypted keyring file. */
    @Override
    public boolean sharesPassword() {
        return true;
    }
}
