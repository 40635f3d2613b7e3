package org.coffer.keyringfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.coffer.files.FileStamp;
import org.coffer.files.IniFile;

/**
 * One keyring file in the layout of Python's keyrings.alt and keyrings.cryptfile:
 * section = escaped service, option = escaped username, value = a payload the backend
 * encodes.
 *
 * <p>Reads are served from the last parsed content while the file's {@link FileStamp}
 * is unchanged, so a read costs one {@code stat}; every {@value #VERIFY_MILLIS} ms the
 * content is also compared by hash. Every change re-reads the file under the writer
 * lock, applies the change and writes the file atomically; a file that fails to parse
 * is never written.
 *
 * <p>Python's keyring writes its files in place (truncate, then write), so a read can
 * land in the middle of its write. A file that looks torn (empty, cut in a line, or
 * missing entries it held a moment ago) and was changed less than
 * {@value #SETTLE_MILLIS} ms ago is read again once it has settled; before a write, so
 * is every file another program changed that recently. So a write never replaces a
 * keyring with a torn copy that lost entries nobody deleted.
 */
public final class KeyringFileStore {

    static final long SETTLE_MILLIS = 100;
    static final long VERIFY_MILLIS = 2000;
    private static final long MAX_SETTLE_MILLIS = 2000;

    private final Path file;
    private volatile long maxSize = AtomicFile.MAX_SIZE;
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
                : org.coffer.spi.support.UserHome.of(environment).resolve(".local").resolve("share");
        return root.resolve("python_keyring").resolve(fileName);
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
        maxSize = bytes;
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
            AtomicFile.removeOrphanedTemporaries(file);
            FileStamp now = FileStamp.of(file);
            // a version Coffer wrote (atomically, by rename) cannot be torn: no need to wait
            boolean ours = now != null && now.id().equals(lock.note());
            Snapshot fresh = load(!ours, true);
            boolean changed = change.apply(fresh.ini);
            if (changed) {
                byte[] content = fresh.ini.render().getBytes(StandardCharsets.UTF_8);
                AtomicFile.write(file, content);
                FileStamp written = FileStamp.of(file);
                lock.note(written == null ? "" : written.id());
                // the next read parses what was written: a one-shot write never reads again
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
        FileStamp stamp = FileStamp.of(file);
        if (cached != null && FileStamp.same(cached.stamp, stamp)) {
            if (System.nanoTime() - cached.verified < VERIFY_MILLIS * 1_000_000L) {
                return cached.ini;
            }
            try {
                byte[] bytes = stamp == null ? null : read();
                if (bytes == null || java.util.Arrays.equals(Snapshot.hash(bytes), cached.hash)) {
                    cached.verified = System.nanoTime();
                    return cached.ini;
                }
            } catch (NoSuchFileException removedMeanwhile) {
                // read it anew below
            }
        }
        Snapshot fresh = load(false, false);
        snapshot = fresh;
        return fresh.ini;
    }

    /**
     * Reads and parses the file as one version: the stamp is the same before and after
     * the read. A version that looks torn is read again once the file has settled.
     *
     * @param settleFirst whether to wait for any recent change to settle
     * @param forWrite whether a file that never settles is an error rather than read as it is
     * @throws IOException if the file cannot be read, or keeps changing before a write
     */
    private Snapshot load(boolean settleFirst, boolean forWrite) throws IOException {
        long deadline = System.currentTimeMillis() + MAX_SETTLE_MILLIS;
        Snapshot known = snapshot;
        while (true) {
            FileStamp before = FileStamp.of(file);
            if (before == null) {
                return new Snapshot(new IniFile(), null, null);
            }
            byte[] bytes;
            try {
                bytes = read();
            } catch (NoSuchFileException removedMeanwhile) {
                continue;
            }
            if (!FileStamp.same(before, FileStamp.of(file))) {
                continue;
            }
            long wait = before.millisUntilSettled(SETTLE_MILLIS);
            IniFile ini = null;
            boolean suspect = settleFirst || bytes.length == 0 || bytes[bytes.length - 1] != '\n';
            if (!suspect && known != null && wait > 0) {
                ini = parse(bytes);
                suspect = !ini.hasAll(known.ini);
            }
            if (suspect && wait > 0) {
                if (System.currentTimeMillis() < deadline) {
                    pause(Math.min(wait, SETTLE_MILLIS));
                    continue;
                }
                if (forWrite) {
                    throw new IOException(file + " kept changing for " + MAX_SETTLE_MILLIS + " ms: another program"
                            + " is rewriting it in place without a lock. Nothing was written; try again");
                }
            }
            return new Snapshot(ini != null ? ini : parse(bytes), before, Snapshot.hash(bytes));
        }
    }

    private IniFile parse(byte[] bytes) {
        return IniFile.parse(file, IniFile.text(file, bytes));
    }

    private byte[] read() throws IOException {
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null,
                    "a folder, where the keyring file should be");
        }
        return AtomicFile.readLimited(file, maxSize);
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted while waiting for a keyring file to settle");
        }
    }

    /** One parsed version of the file. */
    private static final class Snapshot {
        final IniFile ini;
        final FileStamp stamp;
        final byte[] hash;
        final int entries;
        volatile long verified = System.nanoTime();

        Snapshot(IniFile ini, FileStamp stamp, byte[] hash) {
            this.ini = ini;
            this.stamp = stamp;
            this.hash = hash;
            this.entries = ini.size();
        }

        static byte[] hash(byte[] bytes) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }
    }
}
