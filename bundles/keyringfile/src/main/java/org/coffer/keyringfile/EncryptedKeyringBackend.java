package org.coffer.keyringfile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.CredentialProvider;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.keyringfile.internal.EncryptedKeyringStore;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.support.KeyringPasswordSources;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the encrypted keyring-file backends share: an {@link EncryptedKeyringStore},
 * unlocked at start from {@code KEYRING_CRYPTFILE_PASSWORD} or
 * {@code COFFER_KEYRING_PASSWORD}, or on first use from an entry of another backend
 * that an administrator named. A backend bundle subclasses it with its component
 * annotations and its cipher; the reference to the provider and the deactivation are
 * declared here, once.
 */
public abstract class EncryptedKeyringBackend implements KeyringBackend {

    private final String name;
    private final String compatibleWith;
    private final EncryptedKeyringStore store;
    private final Map<String, String> environment;
    private final String passwordService;
    private final String passwordUsername;
    private final ThreadLocal<Boolean> askingProvider = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private volatile ComponentServiceObjects<CredentialProvider> provider;
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
     * The provider to take the password from, got only while it is asked and given back
     * after: the provider holds this backend, so holding the provider as well would make
     * the two wait for each other when they activate. A subclass's component takes this
     * reference when its bundle's {@code bnd.bnd} has
     * {@code -dsannotations-options: inherit}.
     *
     * @param provider the provider's service objects
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindProvider")
    protected void bindProvider(ComponentServiceObjects<CredentialProvider> provider) {
        this.provider = provider;
    }

    /** @param provider the provider's service objects, which went away */
    protected void unbindProvider(ComponentServiceObjects<CredentialProvider> provider) {
        this.provider = null;
    }

    /** @param mebibytes the largest keyring file read, from the backend's {@code max.file.size.mib} */
    protected void limitFileSize(int mebibytes) {
        store.limitFileSize((long) mebibytes << 20);
    }

    /** @return the entry this keyring's password is kept in, when {@code password.service} names one */
    @Override
    public java.util.Set<org.coffer.KeyringEntry> protectedEntries() {
        if (passwordService == null || passwordService.isBlank() || passwordUsername == null
                || passwordUsername.isBlank()) {
            return java.util.Set.of();
        }
        return java.util.Set.of(new org.coffer.KeyringEntry(passwordService.strip(), passwordUsername.strip()));
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
     * not just "locked"; else the entry of another backend.
     */
    private Optional<Secret> automaticPassword() {
        Optional<String> variable = KeyringPasswordSources.variable(environment);
        if (variable.isPresent()) {
            return Optional.of(Secret.of(environment.get(variable.get())));
        }
        return passwordFromProvider();
    }

    private Optional<Secret> passwordFromProvider() {
        ComponentServiceObjects<CredentialProvider> objects = provider;
        if (objects == null || passwordService.isBlank() || passwordUsername.isBlank() || askingProvider.get()) {
            return Optional.empty();
        }
        CredentialProvider current = objects.getService();
        if (current == null) {
            return Optional.empty();
        }
        askingProvider.set(Boolean.TRUE);
        try {
            // the provider walks every backend, this one too: the flag stops the recursion
            return current.get(passwordService, passwordUsername);
        } finally {
            askingProvider.set(Boolean.FALSE);
            objects.ungetService(current);
        }
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
