package org.coffer.keyringfile.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.coffer.BackendException;
import org.coffer.CofferException;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.coffer.files.FileProblem;
import org.coffer.files.IniFile;
import org.coffer.IntegrityException;
import org.coffer.keyringfile.FlatJson;
import org.coffer.keyringfile.KeyringCipher;
import org.coffer.keyringfile.KeyringEscape;
import org.coffer.keyringfile.KeyringFileStore;
import org.coffer.keyringfile.KeyringValue;
import org.coffer.keyringfile.TornKeyringFileException;

/**
 * An encrypted keyring file in the layout Python's encrypted keyrings share: a header
 * section {@code [keyring_2Dsetting]} with a password check value, the scheme and the
 * version, and one sealed value per service and username.
 *
 * <p>The store is locked until {@link #unlock} is given the password the check value
 * was sealed with. A wrong password leaves it locked and the file untouched.
 */
public final class EncryptedKeyringStore {

    /** The header's service. */
    public static final String SETTING_SERVICE = "keyring-setting";
    /** The username of the password check value. */
    public static final String REFERENCE_USER = "password reference";
    /** What the password check value holds. */
    public static final String REFERENCE_VALUE = "password reference value";

    private final String backend;
    private final KeyringFileStore file;
    private final KeyringCipher cipher;
    private final KeyringHeader header;
    private final Supplier<Optional<Secret>> automaticPassword;
    private volatile KeyringCipher.Keys keys;
    private volatile String lastFailure;

    /**
     * @param backend the backend's name, for messages
     * @param file the keyring file; it need not exist yet
     * @param cipher the format's encryption
     * @param automaticPassword asked for a password when a locked store is used, for
     *        example from the environment or another backend
     */
    public EncryptedKeyringStore(String backend, Path file, KeyringCipher cipher,
            Supplier<Optional<Secret>> automaticPassword) {
        this.backend = backend;
        this.file = new KeyringFileStore(file, EncryptedKeyringStore::whyNotWhole);
        this.cipher = cipher;
        this.header = new KeyringHeader(backend, this.file, cipher);
        this.automaticPassword = automaticPassword;
    }

    /** A sealed value is base64 of a JSON object; the header's scheme and version are plain text. */
    private static String whyNotWhole(String section, String option, String value) {
        if (KeyringHeader.SECTION.equals(section) && !KeyringHeader.REFERENCE_OPTION.equals(option)) {
            return null;
        }
        if (value.isEmpty()) {
            return "empty, where a sealed value belongs";
        }
        try {
            FlatJson.parse(new String(KeyringValue.decode(value), StandardCharsets.UTF_8));
            return null;
        } catch (IllegalArgumentException cut) {
            return cut.getMessage();
        }
    }

    /** @param bytes the largest file this store reads; see {@link KeyringFileStore#limitFileSize} */
    public void limitFileSize(long bytes) {
        file.limitFileSize(bytes);
    }

    /** @return the keyring file */
    public Path file() {
        return file.file();
    }

    /** @return whether no password has been accepted yet */
    public boolean isLocked() {
        return keys == null;
    }

    /**
     * Checks a password against the file's check value and keeps its key material.
     * A file that does not exist yet accepts any non-blank password, which its first
     * write records.
     *
     * @param password the keyring password
     * @throws BackendException if the password is wrong or the file unreadable; the
     *         store stays as it was
     */
    public synchronized void unlock(Secret password) {
        char[] chars = password.chars();
        try {
            if (isBlank(chars)) {
                throw new BackendException("A blank password cannot unlock the " + backend + " keyring " + file());
            }
            KeyringCipher.Keys candidate = cipher.keys(chars);
            try {
                IniFile ini = read("read its keyring file");
                header.checkScheme(ini);
                Optional<String> reference = KeyringHeader.reference(ini);
                if (reference.isPresent() && !header.opens(candidate, reference.get(), ini)) {
                    throw new BackendException("Incorrect password for the " + backend + " keyring " + file()
                            + "; it stays locked and the file was not changed");
                }
            } catch (RuntimeException e) {
                candidate.destroy();
                lastFailure = e.getMessage();
                throw e;
            }
            KeyringCipher.Keys old = keys;
            keys = candidate;
            lastFailure = null;
            if (old != null) {
                old.destroy();
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static boolean isBlank(char[] chars) {
        for (char c : chars) {
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the key material. */
    public synchronized void lock() {
        KeyringCipher.Keys old = keys;
        keys = null;
        if (old != null) {
            old.destroy();
        }
    }

    /** The keys; a locked store first tries the automatic password, one caller at a time. */
    private KeyringCipher.Keys requireKeys() {
        KeyringCipher.Keys current = keys;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            // a caller that waited here finds the keys another one has just unlocked
            current = keys;
            if (current != null) {
                return current;
            }
            Optional<Secret> password = automaticPassword.get();
            if (password.isPresent()) {
                try (Secret secret = password.get()) {
                    unlock(secret);
                }
                return keys;
            }
        }
        throw new KeyringLockedException("The " + backend + " keyring " + file() + " is locked. Unlock it with"
                + " keyring:unlock, set KEYRING_CRYPTFILE_PASSWORD or COFFER_KEYRING_PASSWORD, or pipe the password"
                + " to 'bin/coffer run'.");
    }

    /**
     * @param service the service
     * @param username the username
     * @return the secret, or empty
     * @throws KeyringLockedException if the store is locked
     * @throws BackendException if the file is unreadable or the value does not decrypt
     */
    public Optional<Secret> get(String service, String username) {
        IniFile ini = read("read " + entry(service, username));
        Optional<String> value = ini.get(KeyringEscape.escape(service), KeyringEscape.escape(username));
        if (value.isEmpty()) {
            // names are not encrypted: a store that lacks the entry answers without its password
            return Optional.empty();
        }
        byte[] payload;
        try {
            payload = KeyringValue.decode(value.get());
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("The " + backend + " backend's value of " + entry(service, username)
                    + " in " + file() + " is damaged (" + e.getMessage() + "); the file was left unchanged", e);
        }
        byte[] plain = null;
        try {
            try {
                plain = cipher.open(requireKeys(), service, username, payload, KeyringHeader.version(ini));
            } catch (IllegalStateException replacedByAnUnlockMeanwhile) {
                plain = cipher.open(requireKeys(), service, username, payload, KeyringHeader.version(ini));
            }
            return Optional.of(Secret.fromUtf8(plain));
        } catch (IllegalStateException lockedMeanwhile) {
            throw new KeyringLockedException("The " + backend + " keyring " + file() + " was locked during the call");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            String caseHint = username.equals(username.toLowerCase(java.util.Locale.ROOT))
                    ? " The file lists usernames in lower case, but the encryption binds the username as it was"
                    + " stored: ask with its original upper and lower case." : "";
            throw new BackendException("The value of '" + username + "' in '" + service + "' in " + file()
                    + " does not decrypt: " + e.getMessage() + "." + caseHint + " The file may also have been"
                    + " damaged or written with another password; it was left unchanged.", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /**
     * Seals and stores a secret; a new file gets its header and check value first.
     *
     * @param service the service, not the header's
     * @param username the username, not empty
     * @param secret the secret
     * @throws KeyringLockedException if the store is locked
     * @throws BackendException if the file cannot be written; it is unchanged
     */
    public void put(String service, String username, Secret secret) {
        if (SETTING_SERVICE.equals(service)) {
            throw new IllegalArgumentException("The service '" + SETTING_SERVICE + "' holds the keyring's own"
                    + " settings in " + file() + "; use another service name");
        }
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("Username cannot be blank");
        }
        byte[] plain = secret.utf8();
        try {
            try {
                write(requireKeys(), service, username, plain);
            } catch (IllegalStateException replacedByAnUnlockMeanwhile) {
                write(requireKeys(), service, username, plain);
            }
        } catch (IllegalStateException lockedMeanwhile) {
            throw new KeyringLockedException("The " + backend + " keyring " + file() + " was locked during the call;"
                    + " nothing was written");
        } catch (KeyringLockedException | BackendException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new BackendException("The " + backend + " keyring cannot encrypt: " + e.getMessage(), e);
        } catch (TornKeyringFileException e) {
            throw e.toIntegrityFailure(backend, "write " + entry(service, username));
        } catch (IOException | CofferException e) {
            throw new BackendException("The " + backend + " keyring cannot write " + FileProblem.at(file(), e)
                    + "; the file was left unchanged", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private void write(KeyringCipher.Keys current, String service, String username, byte[] plain)
            throws GeneralSecurityException, IOException {
        String value = KeyringValue.encode(cipher.seal(current, service, username, plain));
        String reference = header.seal(current);
        file.update(ini -> {
            header.prepareWrite(ini, current, reference);
            ini.set(KeyringEscape.escape(service), KeyringEscape.escape(username), value);
            return Boolean.TRUE;
        });
    }

    /**
     * Deletes a secret; like Python, this needs no password.
     *
     * @param service the service
     * @param username the username
     * @return whether there was one
     * @throws BackendException if the file cannot be written; it is unchanged
     */
    public boolean remove(String service, String username) {
        if (SETTING_SERVICE.equals(service)) {
            return false;
        }
        try {
            return file.remove(service, username);
        } catch (TornKeyringFileException e) {
            throw e.toIntegrityFailure(backend, "delete " + entry(service, username));
        } catch (IOException | CofferException e) {
            throw new BackendException("The " + backend + " keyring cannot write " + FileProblem.at(file(), e)
                    + "; the file was left unchanged", e);
        }
    }

    /**
     * Rebuilds a torn or damaged file from what can be read, after a copy; like a
     * deletion, this needs no password.
     *
     * @return what was done
     * @throws BackendException if the file cannot be read or written; it is unchanged
     */
    public String repair() {
        try {
            return file.repair(SETTING_SERVICE).toString();
        } catch (IOException | CofferException e) {
            throw new BackendException("The " + backend + " keyring cannot repair " + FileProblem.at(file(), e)
                    + "; the file was left unchanged", e);
        }
    }

    /** @return the entries, without the header */
    public List<KeyringEntry> entries() {
        try {
            return file.entries(SETTING_SERVICE);
        } catch (TornKeyringFileException e) {
            throw e.toIntegrityFailure(backend, "list its entries");
        } catch (IOException | CofferException e) {
            throw new BackendException("The " + backend + " keyring cannot read " + FileProblem.at(file(), e), e);
        }
    }

    /**
     * Adds what the store knows to a diagnosis: file, lock state, scheme and version.
     *
     * @param diagnosis the backend's diagnosis
     * @return the same builder
     */
    public Diagnosis.Builder describe(Diagnosis.Builder diagnosis) {
        diagnosis.detail("file", file()).detail("locked", isLocked()).detail("scheme", cipher.scheme());
        try {
            IniFile ini = file.current();
            diagnosis.detail("file exists", !ini.sections().isEmpty());
            String version = KeyringHeader.version(ini);
            diagnosis.detail("file version", version == null ? "none yet" : version);
        } catch (IOException | CofferException e) {
            diagnosis.warning("The file cannot be read: " + FileProblem.at(file(), e));
        }
        if (isLocked()) {
            diagnosis.warning("Locked: unlock with keyring:unlock, KEYRING_CRYPTFILE_PASSWORD or"
                    + " COFFER_KEYRING_PASSWORD, or by piping the password to 'bin/coffer run'.");
        }
        String failure = lastFailure;
        if (failure != null) {
            diagnosis.warning("The last unlock failed: " + failure);
        }
        return diagnosis;
    }

    private static String entry(String service, String username) {
        return "'" + username + "' in '" + service + "'";
    }

    private IniFile read(String what) {
        try {
            return file.current();
        } catch (TornKeyringFileException e) {
            throw e.toIntegrityFailure(backend, what);
        } catch (IOException | CofferException e) {
            throw new BackendException("The " + backend + " keyring cannot read " + FileProblem.at(file(), e)
                    + "; the file was left unchanged", e);
        }
    }
}
