package org.coffer.backend.cryptfile.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.CredentialProvider;
import org.coffer.Diagnosis;
import org.coffer.Secret;
import org.coffer.keyringfile.EncryptedKeyringStore;
import org.coffer.keyringfile.KeyringPasswordSources;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringEntry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Python keyrings.cryptfile's {@code CryptFileKeyring}: {@code cryptfile_pass.cfg},
 * every value sealed with AES-128-GCM under an Argon2id key of the keyring password.
 * Python and Coffer read and write the same file.
 *
 * <p>Locked until it gets the password: from another backend an administrator named,
 * from {@code KEYRING_CRYPTFILE_PASSWORD} or {@code COFFER_KEYRING_PASSWORD}, or
 * through {@code keyring:unlock} (which the launcher runs at start, reading the
 * terminal or standard input).
 */
@Component(service = KeyringBackend.class, configurationPid = CryptFileBackend.PID,
        property = {"service.ranking:Integer=" + CryptFileBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + CryptFileBackend.NAME})
@Designate(ocd = CryptFileConfig.class)
public final class CryptFileBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.cryptfile";
    static final int DEFAULT_RANKING = 250;
    static final String NAME = "cryptfile";
    static final String FILE_NAME = "cryptfile_pass.cfg";

    private final EncryptedKeyringStore store;
    private final Map<String, String> environment;
    private final String passwordService;
    private final String passwordUsername;
    private volatile boolean stopped;
    private final ThreadLocal<Boolean> askingProvider = ThreadLocal.withInitial(() -> Boolean.FALSE);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CredentialProvider provider;

    @Activate
    public CryptFileBackend(CryptFileConfig config) {
        this(fileOf(config, System.getenv()), System.getenv(), config.password_service(), config.password_username());
    }

    /**
     * @param file the keyring file; it need not exist yet
     * @param environment where {@code KEYRING_CRYPTFILE_PASSWORD} is looked up
     * @param passwordService the service of another backend's entry holding the password, or empty
     * @param passwordUsername its username
     */
    public CryptFileBackend(Path file, Map<String, String> environment, String passwordService, String passwordUsername) {
        this.environment = environment;
        this.passwordService = passwordService;
        this.passwordUsername = passwordUsername;
        this.store = new EncryptedKeyringStore(NAME, file, new CryptFileCipher(), this::automaticPassword);
        KeyringPasswordSources.variable(environment).ifPresent(variable -> {
            try (Secret password = Secret.of(environment.get(variable))) {
                store.unlock(password);
            } catch (BackendException wrongPassword) {
                // stays locked; the diagnosis tells why
            }
        });
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        store.lock();
    }

    /** Python's location: {@code $KEYRING_CRYPTFILE_PATH}, else {@code $XDG_DATA_HOME/python_keyring/cryptfile_pass.cfg}. */
    static Path fileOf(CryptFileConfig config, Map<String, String> env) {
        if (!config.file().isBlank()) {
            return Path.of(config.file());
        }
        String explicit = env.get("KEYRING_CRYPTFILE_PATH");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String dataHome = env.get("XDG_DATA_HOME");
        Path root = dataHome != null && !dataHome.isBlank()
                ? Path.of(dataHome)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return root.resolve("python_keyring").resolve(FILE_NAME);
    }

    /** The password from the backend entry an administrator configured, if any. */
    private Optional<Secret> automaticPassword() {
        CredentialProvider current = provider;
        if (current == null || passwordService.isBlank() || passwordUsername.isBlank() || askingProvider.get()) {
            return Optional.empty();
        }
        askingProvider.set(Boolean.TRUE);
        try {
            // the provider walks every backend, this one too: the flag stops the recursion
            return current.get(passwordService, passwordUsername);
        } finally {
            askingProvider.set(Boolean.FALSE);
        }
    }

    private EncryptedKeyringStore open() {
        if (stopped) {
            throw new BackendException("The cryptfile backend was stopped");
        }
        return store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "keyrings.cryptfile CryptFileKeyring file " + store.file() + " (Argon2id, AES-128-GCM)";
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        return open().get(service, username);
    }

    @Override
    public void set(String service, String username, Secret secret) {
        open().put(service, username, secret);
    }

    @Override
    public boolean delete(String service, String username) {
        return open().remove(service, username);
    }

    @Override
    public boolean isLocked() {
        return store.isLocked();
    }

    @Override
    public void unlock(Secret password) {
        open().unlock(password);
    }

    @Override
    public void lock() {
        store.lock();
    }

    @Override
    public boolean canEnumerate() {
        return true;
    }

    @Override
    public List<KeyringEntry> entries() {
        return open().entries();
    }

    @Override
    public Diagnosis diagnose() {
        Diagnosis.Builder diagnosis = store.describe(Diagnosis.of(NAME))
                .detail("compatible with", "Python keyrings.cryptfile.cryptfile.CryptFileKeyring");
        KeyringPasswordSources.variable(environment).ifPresent(v -> diagnosis.detail("password from", v));
        if (!passwordService.isBlank()) {
            diagnosis.detail("password from", "the entry '" + passwordUsername + "' in '" + passwordService + "'");
        }
        return diagnosis.build();
    }
}
