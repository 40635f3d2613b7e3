package org.coffer.backend.plaintext.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.CofferException;
import org.coffer.Diagnosis;
import org.coffer.IntegrityException;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.files.FileProblem;
import org.coffer.keyringfile.KeyringFileStore;
import org.coffer.keyringfile.KeyringValue;
import org.coffer.keyringfile.KeyringValueCheck;
import org.coffer.keyringfile.TornKeyringFileException;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Python keyrings.alt's {@code PlaintextKeyring}: {@code keyring_pass.cfg}, values
 * base64-encoded but not encrypted. Python's keyring and Coffer read and write the same
 * file.
 *
 * <p>Registered only while {@link PlaintextProbe} finds its configuration workable.
 *
 * <p>Usernames are option names, which the format lower-cases: {@code Alice} and
 * {@code alice} are one entry, and listing returns {@code alice}.
 */
@Component(service = KeyringBackend.class, configurationPid = PlaintextBackend.PID,
        property = {"service.ranking:Integer=" + PlaintextBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + PlaintextBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + PlaintextProbe.CONDITION + ")")
@Designate(ocd = PlaintextConfig.class)
public final class PlaintextBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.plaintext";
    static final int DEFAULT_RANKING = 50;
    static final String FILE_NAME = "keyring_pass.cfg";
    static final String NAME = "plaintext";

    private volatile KeyringFileStore store;
    private volatile String name;
    private volatile boolean stopped;

    @Activate
    public PlaintextBackend(PlaintextConfig config) {
        this(fileOf(config, System.getenv()), config.name());
        store.limitFileSize((long) config.max_file_size_mib() << 20);
    }

    /** @param file the keyring file; it need not exist yet */
    public PlaintextBackend(Path file) {
        this(file, NAME);
    }

    /**
     * @param file the keyring file; it need not exist yet
     * @param name the backend's name
     */
    public PlaintextBackend(Path file, String name) {
        this.store = new KeyringFileStore(file, KeyringValueCheck.BASE64);
        this.name = name;
    }

    @Modified
    void modified(PlaintextConfig config) {
        KeyringFileStore next = new KeyringFileStore(fileOf(config, System.getenv()),
                KeyringValueCheck.BASE64);
        next.limitFileSize((long) config.max_file_size_mib() << 20);
        store = next;
        name = config.name();
    }

    @Deactivate
    void deactivate() {
        stopped = true;
    }

    /** The file Python's keyrings.alt uses: {@code $XDG_DATA_HOME/python_keyring/keyring_pass.cfg}. */
    static Path fileOf(PlaintextConfig config, Map<String, String> env) {
        if (!config.file().isBlank()) {
            return Path.of(config.file());
        }
        return KeyringFileStore.pythonDataFile(env, FILE_NAME);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "keyrings.alt PlaintextKeyring file " + store.file() + " (not encrypted)";
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        KeyringFileStore current = open();
        Optional<String> value;
        try {
            value = current.get(service, username);
        } catch (IOException | CofferException e) {
            throw failure("read '" + username + "' in '" + service + "'", current, e);
        }
        try {
            return value.map(PlaintextBackend::decode);
        } catch (IllegalArgumentException e) {
            // as Python's keyrings.alt, which raises "Incorrect padding": a damaged value is an error
            throw new IntegrityException("plaintext backend: the value of '" + username + "' in '" + service + "' in "
                    + current.file() + " is damaged (" + e.getMessage() + "); the file was left unchanged", e);
        }
    }

    @Override
    public void set(String service, String username, Secret secret) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("Username cannot be blank");
        }
        KeyringFileStore current = open();
        try {
            current.put(service, username, encode(secret));
        } catch (IOException | CofferException e) {
            throw failure("write '" + username + "' in '" + service + "'", current, e);
        }
    }

    @Override
    public boolean delete(String service, String username) {
        KeyringFileStore current = open();
        try {
            return current.remove(service, username);
        } catch (IOException | CofferException e) {
            throw failure("delete '" + username + "' in '" + service + "'", current, e);
        }
    }

    @Override
    public boolean canEnumerate() {
        return true;
    }

    @Override
    public List<KeyringEntry> entries() {
        KeyringFileStore current = open();
        try {
            return current.entries(null);
        } catch (IOException | CofferException e) {
            throw failure("list its entries", current, e);
        }
    }

    @Override
    public String repair() {
        KeyringFileStore current = open();
        try {
            return current.repair(null).toString();
        } catch (IOException | CofferException e) {
            throw failure("repair its file", current, e);
        }
    }

    @Override
    public Diagnosis diagnose() {
        Path file = store.file();
        return Diagnosis.of(name)
                .detail("file", file)
                .detail("file exists", Files.exists(file))
                .detail("compatible with", "Python keyrings.alt.file.PlaintextKeyring")
                .warning("Secrets in " + file + " are stored unencrypted (base64 only): anyone who can read"
                        + " the file can read them. Install an encrypted backend for production use.")
                .build();
    }

    static String encode(Secret secret) {
        byte[] utf8 = secret.utf8();
        try {
            return KeyringValue.encode(utf8);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    static Secret decode(String value) {
        byte[] utf8 = KeyringValue.decode(value);
        try {
            return Secret.fromUtf8(utf8);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    private KeyringFileStore open() {
        if (stopped) {
            throw new BackendException("The plaintext backend was stopped");
        }
        return store;
    }

    private BackendException failure(String what, KeyringFileStore current, Exception e) {
        if (e instanceof TornKeyringFileException) {
            return ((TornKeyringFileException) e).toIntegrityFailure(name, what);
        }
        // the message of a parse error names file and line; it never holds a value
        return new BackendException("plaintext backend cannot " + what + ": " + FileProblem.at(current.file(), e)
                + "; the file was left unchanged", e);
    }
}
