package org.coffer.format.xml.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.coffer.CofferException;
import org.coffer.Credential;
import org.coffer.CredentialEnvironment;
import org.coffer.CredentialRepository;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.SealedSecret;
import org.coffer.keyringfile.AtomicFile;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Pineapple's {@code credentials.xml} as a {@link CredentialRepository}. Passwords are
 * held sealed in memory; clear-text passwords found on load are encrypted and saved.
 * Every change re-reads the file under its writer lock, so that changes of other
 * processes are kept, and saves it atomically.
 */
@Component(service = CredentialRepository.class, configurationPid = XmlCredentialRepository.PID)
@Designate(ocd = CredentialsXmlConfig.class)
public final class XmlCredentialRepository implements CredentialRepository {

    static final String PID = "org.coffer.format.xml";

    private final Path file;
    private final MasterKey key;
    private final Object writing = new Object();
    private volatile State state;
    private volatile CofferException loadFailure;
    private ScheduledExecutorService watcher;
    private volatile long failedModified = Long.MIN_VALUE;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Activate
    public XmlCredentialRepository(CredentialsXmlConfig config, BundleContext context, @Reference MasterKey key) {
        this.file = fileOf(config.file(), context::getProperty, System.getenv());
        this.key = key;
        this.state = State.EMPTY;
        try {
            refresh();
        } catch (CofferException e) {
            // kept until a refresh succeeds; calls report it
            loadFailure = e;
        }
        if (config.watch_interval() > 0) {
            watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "coffer credentials.xml watcher");
                thread.setDaemon(true);
                return thread;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, config.watch_interval(), config.watch_interval(),
                    TimeUnit.SECONDS);
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
        this.file = file.toAbsolutePath();
        this.key = key;
        this.state = State.EMPTY;
        refresh();
    }

    static Path fileOf(String configured, java.util.function.UnaryOperator<String> properties,
            Map<String, String> environment) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        return org.coffer.spi.CofferHome.conf(properties, environment).resolve("credentials.xml").toAbsolutePath();
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    /** What a load produced: the document as saved, and each password sealed. */
    private static final class State {
        static final State EMPTY = new State(CredentialsModel.empty(), Map.of(), null, -1);

        final CredentialsModel model;
        final Map<String, Map<String, Entry>> entries;
        final byte[] digest;
        final long modified;

        State(CredentialsModel model, Map<String, Map<String, Entry>> entries, byte[] digest, long modified) {
            this.model = model;
            this.entries = entries;
            this.digest = digest;
            this.modified = modified;
        }
    }

    private static final class Entry {
        final String user;
        final SealedSecret password;

        Entry(String user, SealedSecret password) {
            this.user = user;
            this.password = password;
        }
    }

    @Override
    public Path file() {
        return file;
    }

    private State current() {
        CofferException failure = loadFailure;
        if (failure != null) {
            throw new CofferException(failure.getMessage() + " (fix the file, then run credentials:refresh)", failure);
        }
        return state;
    }

    @Override
    public List<CredentialEnvironment> environments() {
        State current = current();
        List<CredentialEnvironment> list = new ArrayList<>();
        for (String id : current.entries.keySet()) {
            list.add(environmentOf(current, id));
        }
        return list;
    }

    @Override
    public Optional<CredentialEnvironment> environment(String environment) {
        State current = current();
        return current.entries.containsKey(environment) ? Optional.of(environmentOf(current, environment)) : Optional.empty();
    }

    private static CredentialEnvironment environmentOf(State current, String id) {
        Map<String, String> users = new LinkedHashMap<>();
        current.entries.get(id).forEach((credential, entry) -> users.put(credential, entry.user));
        return new CredentialEnvironment(id, current.model.environments.get(id).getAttribute("description"), users);
    }

    @Override
    public boolean contains(String environment, String id) {
        Map<String, Entry> credentials = current().entries.get(environment);
        return credentials != null && credentials.containsKey(id);
    }

    @Override
    public Optional<Credential> get(String environment, String id) {
        Map<String, Entry> credentials = current().entries.get(environment);
        Entry entry = credentials == null ? null : credentials.get(id);
        return entry == null ? Optional.empty() : Optional.of(new Credential(entry.user, key.open(entry.password)));
    }

    @Override
    public void createEnvironment(String environment, String description) {
        requireId(environment, "environment");
        change(model -> {
            if (model.environments.containsKey(environment)) {
                throw new IllegalArgumentException("The environment '" + environment + "' exists already");
            }
            Element root = model.document.getDocumentElement();
            Element created = CredentialsModel.append(CredentialsModel.child(root, "environments"), "environment");
            created.setAttribute("id", environment);
            if (description != null && !description.isEmpty()) {
                created.setAttribute("description", description);
            }
            CredentialsModel.append(created, "credentials");
        });
    }

    @Override
    public void updateEnvironment(String environment, String description) {
        change(model -> {
            Element existing = environmentElement(model, environment);
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
        change(model -> {
            Element existing = model.environments.get(environment);
            if (existing != null) {
                CredentialsModel.remove(existing);
                deleted[0] = true;
            }
        });
        return deleted[0];
    }

    @Override
    public void create(String environment, String id, String user, Secret password) {
        requireId(id, "credential");
        change(model -> {
            // encrypted under the lock, so that a rekey in between cannot leave it under the old password
            String encrypted = CredentialsModel.ENCRYPTED + key.encrypt(password);
            if (model.credentials.getOrDefault(environment, Map.of()).containsKey(id)) {
                throw new IllegalArgumentException("The environment '" + environment + "' holds a credential '" + id
                        + "' already; use update");
            }
            Element parent = CredentialsModel.child(environmentElement(model, environment), "credentials");
            Element credential = CredentialsModel.append(parent, "credential");
            credential.setAttribute("id", id);
            credential.setAttribute("user", user);
            credential.setAttribute("password", encrypted);
        });
    }

    @Override
    public void update(String environment, String id, String user, Secret password) {
        change(model -> {
            String encrypted = CredentialsModel.ENCRYPTED + key.encrypt(password);
            Element credential = model.credentials.getOrDefault(environment, Map.of()).get(id);
            if (credential == null) {
                throw new IllegalArgumentException("There is no credential '" + id + "' in environment '"
                        + environment + "'");
            }
            credential.setAttribute("user", user);
            credential.setAttribute("password", encrypted);
        });
    }

    @Override
    public boolean delete(String environment, String id) {
        boolean[] deleted = {false};
        change(model -> {
            Element credential = model.credentials.getOrDefault(environment, Map.of()).get(id);
            if (credential != null) {
                CredentialsModel.remove(credential);
                deleted[0] = true;
            }
        });
        return deleted[0];
    }

    private static Element environmentElement(CredentialsModel model, String environment) {
        Element element = model.environments.get(environment);
        if (element == null) {
            throw new IllegalArgumentException("There is no environment '" + environment + "'; create it with"
                    + " credentials:env-add");
        }
        return element;
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("The " + what + " id must not be empty");
        }
    }

    @Override
    public String encrypt(Secret value) {
        return key.encrypt(value);
    }

    @Override
    public void refresh() {
        synchronized (writing) {
            try (AtomicFile.Lock lock = AtomicFile.lock(file)) {
                state = load(true);
                loadFailure = null;
            } catch (IOException e) {
                throw new CofferException("Cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void rekey() {
        synchronized (writing) {
            try (AtomicFile.Lock lock = AtomicFile.lock(file)) {
                State current = load(true);
                Document copy = (Document) current.model.document.cloneNode(true);
                key.rekey(next -> {
                    CredentialsModel model = CredentialsModel.of(file, CredentialsXml.parse(file, CredentialsXml.write(copy)));
                    current.entries.forEach((environment, credentials) -> credentials.forEach((id, entry) -> {
                        try (Secret password = key.open(entry.password)) {
                            model.credentials.get(environment).get(id).setAttribute("password",
                                    CredentialsModel.ENCRYPTED + next.encrypt(password));
                        }
                    }));
                    return Map.of(file, CredentialsXml.write(model.document));
                });
                state = load(false);
                loadFailure = null;
            } catch (IOException e) {
                throw new CofferException("Cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Applies a change to the file as it is on disk now, under its writer lock, and saves it. */
    private void change(Consumer<CredentialsModel> change) {
        synchronized (writing) {
            try (AtomicFile.Lock lock = AtomicFile.lock(file)) {
                State current = load(true);
                loadFailure = null;
                state = current;
                Document copy = (Document) current.model.document.cloneNode(true);
                CredentialsModel model = CredentialsModel.of(file, CredentialsXml.parse(file, CredentialsXml.write(copy)));
                change.accept(model);
                save(CredentialsXml.write(model.document));
                state = load(false);
            } catch (IOException e) {
                throw new CofferException("Cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads the file (the caller holds its lock), decrypts and seals every password, and
     * encrypts and saves clear-text ones when asked. Reuses the current state when the
     * file is unchanged.
     */
    private State load(boolean encryptClearText) {
        byte[] content;
        long modified;
        try {
            content = Files.readAllBytes(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (NoSuchFileException missing) {
            return State.EMPTY;
        } catch (IOException e) {
            throw new CofferException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        byte[] digest = digest(content);
        State previous = state;
        if (previous.digest != null && Arrays.equals(previous.digest, digest)) {
            return new State(previous.model, previous.entries, digest, modified);
        }
        CredentialsModel model = CredentialsModel.of(file, CredentialsXml.parse(file, content));
        List<String[]> ids = new ArrayList<>();
        model.credentials.forEach((environment, credentials) -> credentials.keySet()
                .forEach(id -> ids.add(new String[] {environment, id})));
        // each value costs a password-based key derivation: decrypt on every core
        List<Object> sealed = ids.parallelStream().map(pair -> {
            String stored = model.credentials.get(pair[0]).get(pair[1]).getAttribute("password");
            try (Secret password = stored.startsWith(CredentialsModel.ENCRYPTED)
                    ? key.decrypt(stored.substring(CredentialsModel.ENCRYPTED.length()),
                            "credential '" + pair[1] + "' of environment '" + pair[0] + "' in " + file)
                    : Secret.of(stored)) {
                return (Object) key.seal(password);
            } catch (CofferException e) {
                return e;
            }
        }).collect(Collectors.toList());
        for (Object result : sealed) {
            if (result instanceof CofferException) {
                // the first failure in file order, whichever thread met it first
                throw (CofferException) result;
            }
        }
        Map<String, Map<String, Entry>> entries = new LinkedHashMap<>();
        model.credentials.keySet().forEach(environment -> entries.put(environment, new LinkedHashMap<>()));
        List<Element> clearText = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Element element = model.credentials.get(ids.get(i)[0]).get(ids.get(i)[1]);
            entries.get(ids.get(i)[0]).put(ids.get(i)[1], new Entry(element.getAttribute("user"), (SealedSecret) sealed.get(i)));
            if (!element.getAttribute("password").startsWith(CredentialsModel.ENCRYPTED)) {
                clearText.add(element);
            }
        }
        entries.replaceAll((environment, credentials) -> Collections.unmodifiableMap(credentials));
        if (!clearText.isEmpty() && encryptClearText) {
            for (Element element : clearText) {
                try (Secret password = Secret.of(element.getAttribute("password"))) {
                    element.setAttribute("password", CredentialsModel.ENCRYPTED + key.encrypt(password));
                }
            }
            byte[] saved = CredentialsXml.write(model.document);
            save(saved);
            log("Encrypted {} clear-text passwords in {}", clearText.size(), file);
            return load(false);
        }
        return new State(model, Collections.unmodifiableMap(entries), digest, modified);
    }

    private void save(byte[] content) {
        if (readOnly(file)) {
            throw new CofferException("The credentials file " + file + " is read-only; Coffer must save it to"
                    + " encrypt its passwords and keep changes. Make it writable for this user; nothing was changed");
        }
        try {
            AtomicFile.write(file, content);
        } catch (IOException e) {
            throw new CofferException("Cannot save " + file + ": " + e.getMessage() + "; nothing was changed", e);
        }
    }

    /** Not writable, or (for an owner who may write anyway) without its owner-write bit. */
    private static boolean readOnly(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        try {
            return !Files.isWritable(file)
                    || !Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_WRITE);
        } catch (UnsupportedOperationException | IOException notPosix) {
            return false;
        }
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reloads when the file changed on disk: edited by hand or by another process. A
     * file that does not load is reported once; the previous state stays in use.
     */
    void reloadIfChanged() {
        long modified;
        try {
            modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : -1;
        } catch (IOException e) {
            return;
        }
        if (modified == state.modified || modified == failedModified) {
            return;
        }
        try {
            refresh();
            failedModified = Long.MIN_VALUE;
        } catch (CofferException e) {
            failedModified = modified;
            Logger current = logger;
            if (current != null) {
                // the message names the file and ids, never a value
                current.warn("Could not reload {}: {}", file, e.getMessage());
            }
        }
    }

    private void log(String format, Object a, Object b) {
        Logger current = logger;
        if (current != null) {
            current.info(format, a, b);
        }
    }

    @Override
    public String toString() {
        return "XmlCredentialRepository[" + file + "]";
    }
}
