package org.coffer.keyringfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.coffer.ConfigFormatException;
import org.coffer.spi.KeyringEntry;

/**
 * One keyring file in the layout of Python's keyrings.alt and keyrings.cryptfile:
 * section = escaped service, option = escaped username, value = a payload the backend
 * encodes.
 *
 * <p>Reads are served from the last parsed content while the file's identity, size and
 * modification time are unchanged, so a read costs one {@code stat}. Every change
 * re-reads the file under the writer lock, applies the change and writes the file
 * atomically; a file that fails to parse is never written.
 */
public final class KeyringFileStore {

    private final Path file;
    private volatile Snapshot snapshot;

    /** @param file the keyring file; it need not exist yet */
    public KeyringFileStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    /**
     * Where Python's keyring keeps its files: {@code $XDG_DATA_HOME/python_keyring},
     * else {@code ~/.local/share/python_keyring}.
     *
     * @param environment the process environment
     * @param fileName the keyring file's name
     * @return the file
     */
    public static Path pythonDataFile(java.util.Map<String, String> environment, String fileName) {
        String dataHome = environment.get("XDG_DATA_HOME");
        Path root = dataHome != null && !dataHome.isBlank()
                ? Path.of(dataHome)
                : org.coffer.spi.UserHome.of(environment).resolve(".local").resolve("share");
        return root.resolve("python_keyring").resolve(fileName);
    }

    /** @return the keyring file */
    public Path file() {
        return file;
    }

    /**
     * Reads the value stored for a service and username (after escaping both).
     *
     * @param service the service
     * @param username the username
     * @return the stored value, or empty
     * @throws IOException if the file cannot be read
     * @throws ConfigFormatException if the file cannot be parsed
     */
    public Optional<String> get(String service, String username) throws IOException {
        return current().get(KeyringEscape.escape(service), KeyringEscape.escape(username));
    }

    /**
     * Lists the entries, unescaped. Usernames come back lower-cased where the file
     * lower-cased them (configparser does so for ASCII letters).
     *
     * @param skipService a service to leave out (for example a header section), or
     *        {@code null}
     * @return the entries in file order
     * @throws IOException if the file cannot be read
     * @throws ConfigFormatException if the file cannot be parsed
     */
    public List<KeyringEntry> entries(String skipService) throws IOException {
        IniFile ini = current();
        List<KeyringEntry> entries = new ArrayList<>();
        for (String section : ini.sections()) {
            String service = KeyringEscape.unescape(section);
            if (service.equals(skipService)) {
                continue;
            }
            for (String option : ini.options(section).keySet()) {
                entries.add(new KeyringEntry(service, KeyringEscape.unescape(option)));
            }
        }
        return entries;
    }

    /**
     * Stores a value for a service and username.
     *
     * @param service the service
     * @param username the username, not empty
     * @param value the encoded value
     * @throws IOException if the file cannot be written; it is unchanged
     * @throws ConfigFormatException if the existing file cannot be parsed; it is unchanged
     * @throws IllegalArgumentException if the service is reserved by the INI format
     */
    public void put(String service, String username, String value) throws IOException {
        String section = KeyringEscape.escape(service);
        String option = KeyringEscape.escape(username);
        if (IniFile.DEFAULT_SECTION.equals(section)) {
            throw new IllegalArgumentException("The service name DEFAULT is reserved by the keyring file format"
                    + " (Python's configparser) and cannot be stored in " + file + "; use another service name");
        }
        update(ini -> {
            ini.set(section, option, value);
            return Boolean.TRUE;
        });
    }

    /**
     * Removes the value of a service and username.
     *
     * @param service the service
     * @param username the username
     * @return whether there was one
     * @throws IOException if the file cannot be written; it is unchanged
     * @throws ConfigFormatException if the existing file cannot be parsed; it is unchanged
     */
    public boolean remove(String service, String username) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        return update(ini -> ini.remove(KeyringEscape.escape(service), KeyringEscape.escape(username)));
    }

    /**
     * Applies a change to the freshly read file under the writer lock and writes it back
     * when the change returns {@code true}.
     *
     * @param change the change; returns whether it changed anything
     * @return what the change returned
     * @throws IOException if the file cannot be read or written; it is unchanged
     * @throws ConfigFormatException if the existing file cannot be parsed; it is unchanged
     */
    public boolean update(Function<IniFile, Boolean> change) throws IOException {
        try (AtomicFile.Lock lock = AtomicFile.lock(file)) {
            Snapshot fresh = load();
            boolean changed = change.apply(fresh.ini);
            if (changed) {
                AtomicFile.write(file, fresh.ini.render().getBytes(StandardCharsets.UTF_8));
                snapshot = null;
            }
            return changed;
        }
    }

    /**
     * @return the parsed file, from cache when it has not changed on disk
     * @throws IOException if the file cannot be read
     * @throws ConfigFormatException if the file cannot be parsed
     */
    public IniFile current() throws IOException {
        Snapshot cached = snapshot;
        BasicFileAttributes attributes = attributes();
        if (cached != null && cached.matches(attributes)) {
            return cached.ini;
        }
        Snapshot fresh = load();
        snapshot = fresh;
        return fresh.ini;
    }

    private Snapshot load() throws IOException {
        while (true) {
            BasicFileAttributes before = attributes();
            if (before == null) {
                return new Snapshot(new IniFile(), null);
            }
            byte[] bytes;
            try {
                bytes = AtomicFile.readLimited(file);
            } catch (NoSuchFileException removedMeanwhile) {
                continue;
            }
            BasicFileAttributes after = attributes();
            if (after == null || !new Snapshot(null, before).matches(after)) {
                continue;
            }
            return new Snapshot(IniFile.parse(file, IniFile.text(file, bytes)), before);
        }
    }

    private BasicFileAttributes attributes() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static final class Snapshot {
        final IniFile ini;
        final BasicFileAttributes attributes;

        Snapshot(IniFile ini, BasicFileAttributes attributes) {
            this.ini = ini;
            this.attributes = attributes;
        }

        boolean matches(BasicFileAttributes now) {
            if (attributes == null || now == null) {
                return attributes == now;
            }
            return Objects.equals(attributes.fileKey(), now.fileKey())
                    && attributes.size() == now.size()
                    && attributes.lastModifiedTime().equals(now.lastModifiedTime());
        }
    }
}
