package org.coffer.keyringfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.coffer.ConfigFormatException;
import org.coffer.KeyringEntry;
import org.coffer.files.AtomicFile;
import org.coffer.files.WriterLock;
import org.coffer.files.FileStamp;
import org.coffer.files.IniFile;

/**
 * One keyring file in the layout of Python's keyrings.alt and keyrings.cryptfile:
 * section = escaped service, option = escaped username, value = a payload the backend
 * encodes.
 *
 * <p>Reads are served from the last parsed content while the file's {@link FileStamp}
 * is unchanged, so a read costs one {@code stat}; every {@value #VERIFY_MILLIS} ms the
 * content is also compared by hash, and at every read where the stamp may miss a
 * rewrite (Windows: no inode numbers, no change times). Every change re-reads the file under the writer
 * lock, applies the change and writes the file atomically ({@link KeyringFileWriter});
 * a file that fails to parse is never written.
 *
 * <p>Python's keyring writes its files in place (truncate, then write), so a read can
 * land in the middle of its write. A file that looks torn (empty, cut in a line, or
 * missing entries it held a moment ago) and was changed less than
 * {@value #SETTLE_MILLIS} ms ago is read again once it has settled. A write replaces
 * the file only while it is still, byte for byte, the version the change was applied
 * to, and carries over what a program that had the replaced file open wrote there; so
 * it never replaces a keyring with a torn copy or with one that misses another
 * program's last write.
 *
 * <p>A file that settles torn is a {@link TornKeyringFileException} for every read and
 * write, never "not found" and never a value: it ends without a newline in an empty
 * value or a cut line, it ends in a value the {@link KeyringValueCheck} finds cut, or it is
 * empty while the lock file records that Coffer wrote a longer version (the note
 * {@link WriterLock#note(String)} keeps is the {@link FileStamp#id()} of Coffer's
 * last write, size included). {@link #repair} rebuilds such a file after a copy.
 */
public final class KeyringFileStore {

    static final long SETTLE_MILLIS = 100;
    static final long VERIFY_MILLIS = 2000;

    private final Path file;
    private final KeyringValueCheck values;
    private final KeyringFileLoader loader;
    private volatile KeyringFileLoader.Snapshot snapshot;

    /**
     * A store that takes every value as whole: only a file that ends without a newline
     * in an empty value or a cut line, or is emptied after Coffer wrote it, is torn.
     *
     * @param file the keyring file; it need not exist yet
     */
    public KeyringFileStore(Path file) {
        this(file, KeyringValueCheck.ANY);
    }

    /**
     * @param file the keyring file; it need not exist yet
     * @param values tells a whole value from a cut one, for the value a file ends in
     * @since 4.1
     */
    public KeyringFileStore(Path file, KeyringValueCheck values) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.values = Objects.requireNonNull(values, "values");
        this.loader = new KeyringFileLoader(this.file, values);
    }

    /**
     * Where Python's keyring keeps its files: {@code $XDG_DATA_HOME/python_keyring},
     * else {@code ~/.local/share/python_keyring}; on Windows {@code %LOCALAPPDATA%\Python
     * Keyring} ({@link org.coffer.spi.support.PythonKeyringFolders}).
     *
     * @param environment the process environment
     * @param fileName the keyring file's name
     * @return the file
     */
    public static Path pythonDataFile(java.util.Map<String, String> environment, String fileName) {
        return org.coffer.spi.support.PythonKeyringFolders.data(environment).resolve(fileName);
    }

    /**
     * Sets the largest file this store reads; a bigger one is refused and left as it is.
     *
     * @param bytes the limit, {@link AtomicFile#MAX_SIZE} unless set
     */
    public void limitFileSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("The largest keyring file must be more than 0 bytes");
        }
        loader.maxSize = bytes;
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
        return entries(current(), skipService);
    }

    private static List<KeyringEntry> entries(IniFile ini, String skipService) {
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
        try (WriterLock lock = WriterLock.take(file)) {
            AtomicFile.removeOrphanedTemporaries(file);
            KeyringFileLoader.Snapshot known = snapshot;
            boolean changed = new KeyringFileWriter(file, loader, lock).apply(change, known == null ? null : known.ini);
            if (changed) {
                // the next read parses what was written: a one-shot write never reads again
                snapshot = null;
            }
            return changed;
        }
    }

    /** @return whether the file is the version Coffer's last write left, by the note in the held lock */
    private boolean writtenByCoffer(WriterLock lock) throws IOException {
        FileStamp now = FileStamp.of(file);
        return now != null && now.id().equals(lock.note());
    }

    /**
     * Rebuilds a torn or damaged file from what can be read, after keeping a copy of it
     * beside it as {@code <file>.damaged-<time>}, mode 0600. The entries whose values
     * are cut or damaged are left out; a whole file is left as it is. Waits, as a write
     * does, for a recent change by another program to settle.
     *
     * @param skipService a service not counted as entries (for example a header section),
     *        or {@code null}
     * @return what was kept and what was left out
     * @throws IOException if the file cannot be read or written, or keeps changing; it is unchanged
     * @throws ConfigFormatException if not even its first lines can be parsed; it is unchanged
     */
    public KeyringFileRepair repair(String skipService) throws IOException {
        try (WriterLock lock = WriterLock.take(file)) {
            AtomicFile.removeOrphanedTemporaries(file);
            try {
                IniFile whole = loader.load(snapshot, !writtenByCoffer(lock), true).ini;
                return new KeyringFileRepair(file, null, entries(whole, skipService).size(), List.of());
            } catch (TornKeyringFileException | ConfigFormatException damaged) {
                // rebuilt below
            }
            byte[] bytes = loader.read();
            List<String> leftOut = new ArrayList<>();
            IniFile ini = KeyringFileRepair.salvage(file, bytes, values, leftOut);
            Path copy = file.resolveSibling(file.getFileName() + ".damaged-"
                    + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern(
                            "yyyyMMdd-HHmmss-SSS")));
            AtomicFile.write(copy, bytes);
            AtomicFile.write(file, KeyringFileRepair.render(ini));
            FileStamp written = FileStamp.of(file);
            lock.note(written == null ? "" : written.id());
            snapshot = null;
            return new KeyringFileRepair(file, copy, entries(ini, skipService).size(), leftOut);
        }
    }

    /**
     * @return the parsed file, from cache when it has not changed on disk
     * @throws IOException if the file cannot be read
     * @throws ConfigFormatException if the file cannot be parsed
     */
    public IniFile current() throws IOException {
        KeyringFileLoader.Snapshot cached = snapshot;
        FileStamp stamp = FileStamp.of(file);
        if (cached != null && FileStamp.same(cached.stamp, stamp)) {
            // where the stamp may miss a rewrite (Windows), the content is compared at every read
            if ((stamp == null || stamp.tellsRewritesApart()) && System.nanoTime() - cached.verified < VERIFY_MILLIS * 1_000_000L) {
                return cached.ini;
            }
            try {
                byte[] bytes = stamp == null ? null : loader.read();
                if (bytes == null || java.util.Arrays.equals(KeyringFileLoader.Snapshot.hash(bytes), cached.hash)) {
                    cached.verified = System.nanoTime();
                    return cached.ini;
                }
            } catch (NoSuchFileException removedMeanwhile) {
                // read it anew below
            }
        }
        KeyringFileLoader.Snapshot fresh = loader.load(snapshot, false, false);
        snapshot = fresh;
        return fresh.ini;
    }
}
