package org.coffer.credentials.xml.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.coffer.CofferException;
import org.coffer.Credential;
import org.coffer.CredentialEnvironment;
import org.coffer.CredentialRepository;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.spi.support.MemorySeal;
import org.coffer.spi.support.SealedSecret;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Pineapple's {@code credentials.xml} as a {@link CredentialRepository}. Passwords are
 * held in memory as the file stores them, indexed by environment and id, and sealed at
 * their first use; clear-text passwords found on load are encrypted and saved. Reads
 * never lock. Every change re-reads the file under its writer lock, so that changes of
 * other processes are kept, and saves it atomically.
 */
@Component(service = CredentialRepository.class, configurationPid = {FormerPid.PID, XmlCredentialRepository.PID})
public final class XmlCredentialRepository implements CredentialRepository {

    /** Its configuration; where the former PID configures it too, this one's values win. */
    static final String PID = "org.coffer.credentials.xml";

    private final CredentialsFile file;
    private final MasterKey key;
    private final MemorySeal seal = new MemorySeal();
    private final CredentialsLoader loader;
    private final CredentialsWatcher watcher;
    private final Object writing = new Object();
    private volatile Snapshot state = Snapshot.empty();
    private volatile CofferException loadFailure;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Activate
    public XmlCredentialRepository(CredentialsXmlConfig config, BundleContext context, @Reference MasterKey key) {
        this(CredentialsFile.configured(config.file(), context::getProperty, System.getenv()), key, false);
        if (config.watch_interval() > 0) {
            watcher.start(config.watch_interval());
        }
    }

    /**
     * Opens a file and loads it at once.
     *
     * @param file the credentials file; it need not exist
     * @param key the master key
     * @throws CofferException if the file does not load; it is left as it was
     */
    public XmlCredentialRepository(Path file, MasterKey key) {
        this(file, key, true);
    }

    /**
     * @param failAtOnce whether a file that does not load fails this constructor; else,
     *     as for the component, every call reports why until a refresh succeeds
     */
    XmlCredentialRepository(Path path, MasterKey key, boolean failAtOnce) {
        this.file = new CredentialsFile(path.toAbsolutePath());
        this.key = key;
        this.loader = new CredentialsLoader(file, key, seal, this::info);
        this.watcher = new CredentialsWatcher(file, () -> state.modified, this::refresh, this::warn);
        try {
            refresh();
        } catch (CofferException e) {
            if (failAtOnce) {
                throw e;
            }
            // kept until a refresh succeeds; calls report it
            loadFailure = e;
        }
    }

    /** Runs once the logger is bound, which the constructor is too early for. */
    @Activate
    void activate(Map<String, Object> properties) {
        if (FormerPid.configures(properties)) {
            warn(FormerPid.warning(PID));
        }
    }

    @Deactivate
    void deactivate() {
        watcher.close();
    }

    @Override
    public Path file() {
        return file.path();
    }

    private Snapshot current() {
        CofferException failure = loadFailure;
        if (failure != null) {
            throw new CofferException(failure.getMessage() + " (fix the file, then run credentials:refresh)", failure);
        }
        return state;
    }

    @Override
    public List<CredentialEnvironment> environments() {
        return current().environments();
    }

    @Override
    public Optional<CredentialEnvironment> environment(String environment) {
        return Optional.ofNullable(current().environment(environment));
    }

    @Override
    public boolean contains(String environment, String id) {
        return current().entry(environment, id) != null;
    }

    /**
     * {@inheritDoc} The first get of a password decrypts it (about a millisecond); later
     * ones open its in-memory seal (microseconds).
     *
     * @throws CofferException naming the file, the environment and the credential if its
     *     stored value does not decrypt; the file is not changed
     */
    @Override
    public Optional<Credential> get(String environment, String id) {
        Snapshot.Entry entry = current().entry(environment, id);
        if (entry == null) {
            return Optional.empty();
        }
        SealedSecret sealed = entry.password.sealed(key, seal,
                () -> StoredPassword.describe(file.path(), environment, id));
        return Optional.of(new Credential(entry.user, seal.open(sealed)));
    }

    @Override
    public void createEnvironment(String environment, String description) {
        change((model, passwords) -> model.addEnvironment(environment, description));
    }

    @Override
    public void updateEnvironment(String environment, String description) {
        change((model, passwords) -> {
            Element existing = model.environment(environment);
            if (description == null || description.isEmpty()) {
                existing.removeAttribute("description");
            } else {
                existing.setAttribute("description", description);
            }
        });
    }

    @Override
    public boolean deleteEnvironment(String environment) {
        boolean[] deleted = {false};
        change((model, passwords) -> deleted[0] = model.removeEnvironment(environment));
        return deleted[0];
    }

    @Override
    public void create(String environment, String id, String user, Secret password) {
        change((model, passwords) -> model.addCredential(environment, id, user, () -> stored(password, passwords)));
    }

    @Override
    public void update(String environment, String id, String user, Secret password) {
        change((model, passwords) -> {
            Element credential = model.credential(environment, id);
            if (credential == null) {
                throw new IllegalArgumentException("There is no credential '" + id + "' in environment '"
                        + environment + "'");
            }
            credential.setAttribute("user", user);
            credential.setAttribute("password", stored(password, passwords));
        });
    }

    @Override
    public boolean delete(String environment, String id) {
        boolean[] deleted = {false};
        change((model, passwords) -> deleted[0] = model.removeCredential(environment, id));
        return deleted[0];
    }

    @Override
    public String encrypt(Secret value) {
        return key.encrypt(value);
    }

    @Override
    public void refresh() {
        synchronized (writing) {
            file.locked(() -> {
                state = loader.load(state);
                loadFailure = null;
                return null;
            });
        }
    }

    @Override
    public void rekey() {
        synchronized (writing) {
            file.locked(() -> {
                Snapshot current = loader.load(state);
                loadFailure = null;
                // readers use the snapshot whose passwords the re-encryption seals before the cipher changes
                state = current;
                CredentialsModel copy = current.modelToChange(file.path());
                byte[][] saved = new byte[1][];
                Map<String, StoredPassword> passwords = new HashMap<>();
                key.rekey(next -> {
                    passwords.putAll(loader.reencrypt(current, copy, next));
                    saved[0] = CredentialsXml.write(copy.document);
                    return Map.of(file.path(), saved[0]);
                });
                state = loader.saved(copy, saved[0], passwords);
                loadFailure = null;
                return null;
            });
        }
    }

    /**
     * Applies a change to a copy of the file as it is on disk now, under its writer lock,
     * and saves it. The change is given the password of every stored value, and adds
     * those of the values it stores.
     */
    private void change(BiConsumer<CredentialsModel, Map<String, StoredPassword>> change) {
        synchronized (writing) {
            file.locked(() -> {
                Snapshot current = loader.load(state);
                loadFailure = null;
                state = current;
                CredentialsModel copy = current.modelToChange(file.path());
                Map<String, StoredPassword> passwords = current.passwordsByStored();
                change.accept(copy, passwords);
                byte[] content = CredentialsXml.write(copy.document);
                file.save(content);
                state = loader.saved(copy, content, passwords);
                return null;
            });
        }
    }

    /** Encrypts a password to store, under the lock so that a rekey in between cannot leave it under the old password. */
    private String stored(Secret password, Map<String, StoredPassword> passwords) {
        String stored = CredentialsModel.ENCRYPTED + key.encrypt(password);
        passwords.put(stored, new StoredPassword(stored, seal.seal(password)));
        return stored;
    }

    /** Reloads the file if it changed on disk; the watcher calls it. */
    void reloadIfChanged() {
        watcher.check();
    }

    private void info(String message) {
        Logger current = logger;
        if (current != null) {
            current.info(message);
        }
    }

    private void warn(String message) {
        Logger current = logger;
        if (current != null) {
            current.warn(message);
        }
    }

    @Override
    public String toString() {
        return "XmlCredentialRepository[" + file + "]";
    }
}
