package org.coffer.keyringfile.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.files.IniFile;
import org.coffer.keyringfile.KeyringCipher;
import org.coffer.keyringfile.KeyringEscape;
import org.coffer.keyringfile.KeyringFileStore;
import org.coffer.keyringfile.KeyringValue;

/**
 * The header section {@code [keyring_2Dsetting]} of an encrypted keyring file: the
 * password check value, the scheme and the version, as Python's encrypted keyrings
 * write them.
 */
final class KeyringHeader {

    static final String SECTION = KeyringEscape.escape(EncryptedKeyringStore.SETTING_SERVICE);
    static final String REFERENCE_OPTION = KeyringEscape.escape(EncryptedKeyringStore.REFERENCE_USER);

    private final String backend;
    private final KeyringFileStore file;
    private final KeyringCipher cipher;

    KeyringHeader(String backend, KeyringFileStore file, KeyringCipher cipher) {
        this.backend = backend;
        this.file = file;
        this.cipher = cipher;
    }

    static String version(IniFile ini) {
        return ini.get(SECTION, "version").orElse(null);
    }

    static Optional<String> reference(IniFile ini) {
        return ini.get(SECTION, REFERENCE_OPTION);
    }

    /** @throws BackendException if the file names a scheme this cipher does not read */
    void checkScheme(IniFile ini) {
        Optional<String> scheme = ini.get(SECTION, "scheme");
        if (scheme.isPresent() && !scheme.get().equals(cipher.scheme())) {
            throw new BackendException("The " + backend + " keyring " + file.file() + " uses the scheme '"
                    + scheme.get() + "'; Coffer reads '" + cipher.scheme() + "'");
        }
    }

    /**
     * @return whether the check value opens with these keys
     * @throws BackendException if the check value is damaged (not base64, not the
     *         format's structure), which no password would open
     */
    boolean opens(KeyringCipher.Keys keys, String value, IniFile ini) {
        byte[] payload;
        try {
            payload = KeyringValue.decode(value);
        } catch (IllegalArgumentException e) {
            throw damaged(e, ini);
        }
        try {
            byte[] plain = cipher.open(keys, EncryptedKeyringStore.SETTING_SERVICE, EncryptedKeyringStore.REFERENCE_USER,
                    payload, version(ini));
            return EncryptedKeyringStore.REFERENCE_VALUE.equals(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException wrongPassword) {
            return false;
        } catch (IllegalArgumentException e) {
            throw damaged(e, ini);
        }
    }

    private BackendException damaged(IllegalArgumentException e, IniFile ini) {
        return new BackendException("The password check value of the " + backend + " keyring " + file.file()
                + " (line " + ini.line(SECTION, REFERENCE_OPTION) + ") is damaged: " + e.getMessage()
                + "; no password can open it. The file was left unchanged.", e);
    }

    /** @return a fresh check value sealed with these keys */
    String seal(KeyringCipher.Keys keys) throws GeneralSecurityException {
        return KeyringValue.encode(cipher.seal(keys, EncryptedKeyringStore.SETTING_SERVICE,
                EncryptedKeyringStore.REFERENCE_USER,
                EncryptedKeyringStore.REFERENCE_VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Before a write: a new file gets the check value, scheme and version; an existing
     * one must have all three, and its check value must open with the keys.
     *
     * @throws BackendException if the file is not one this store may write; nothing is written
     */
    void prepareWrite(IniFile ini, KeyringCipher.Keys keys, String reference) {
        checkScheme(ini);
        Optional<String> existing = reference(ini);
        if (existing.isEmpty()) {
            if (!ini.sections().isEmpty()) {
                throw new BackendException("The " + backend + " keyring " + file.file() + " holds entries but no"
                        + " password check value in [" + SECTION + "]; it may be damaged or another program's file."
                        + " Nothing was written; restore it or move it away.");
            }
            ini.set(SECTION, REFERENCE_OPTION, reference);
            ini.set(SECTION, "scheme", cipher.scheme());
            ini.set(SECTION, "version", cipher.version());
            return;
        }
        for (String line : new String[] {"scheme", "version"}) {
            if (ini.get(SECTION, line).isEmpty()) {
                throw new BackendException("The " + backend + " keyring " + file.file() + " has no '" + line
                        + "' line in [" + SECTION + "], which Python writes and reads to know the format;"
                        + " Coffer does not write to a keyring file it cannot identify. Nothing was written;"
                        + " restore the line (" + line + " = " + ("scheme".equals(line) ? cipher.scheme()
                        : cipher.version()) + ") if the file is yours.");
            }
        }
        if (!opens(keys, existing.get(), ini)) {
            throw new BackendException("The " + backend + " keyring " + file.file() + " was created meanwhile with"
                    + " another password; nothing was written. Lock and unlock it with that password.");
        }
    }
}
