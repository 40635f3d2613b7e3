package org.coffer.backend.eclipse.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.coffer.ConfigFormatException;
import org.coffer.Secret;
import org.coffer.spi.support.UserHome;
import org.coffer.files.AtomicFile;

/**
 * One read of an Equinox Secure Storage file ({@code secure_storage}), as
 * {@code org.eclipse.equinox.security} 1.4 writes it: a {@link Properties} file whose keys
 * are a node path and a key ({@code /node/key}, or {@code /node//key} when the key holds
 * a slash) and whose values are {@code <module id>\t<IV>;<salt>,<ciphertext>} (base64),
 * or {@code \t,<base64 of UTF-8>} for a value stored in clear. One cipher serves the file:
 * {@code PBEWithHmacSHA512AndAES_256} (Eclipse 4.30 and later) or
 * {@code PBEWithMD5AndDES} (before, no IV), keyed by the master password's characters,
 * with 10 iterations of an 8-byte salt.
 */
public final class SecureStorage {

    /** Where Eclipse keeps a user's storage, under the home folder. */
    public static final String DEFAULT_FILE = ".eclipse/org.eclipse.equinox.security/secure_storage";

    static final String HEADER = "Equinox secure storage version 1.0";
    public static final String VERSION_KEY = "org.eclipse.equinox.security.preferences.version";
    public static final String CIPHER_KEY = "org.eclipse.equinox.security.preferences.cipher";
    public static final String KEY_FACTORY_KEY = "org.eclipse.equinox.security.preferences.keyFactory";
    /** Where Equinox keeps its password checks and recovery answers: never a user's entry. */
    public static final String INTERNAL_NODE = "/org.eclipse.equinox.secure.storage";
    /** Where Equinox keeps the check of each module's password. */
    static final String VERIFICATION_NODE = INTERNAL_NODE + "/verification";
    /** Where Equinox keeps each module's recovery questions and answers (encrypted with the answers). */
    static final String RECOVERY_NODE = INTERNAL_NODE + "/recovery";
    /** The cipher a file without cipher keys was written with (Equinox before 1.4.100 wrote none). */
    static final String OLD_CIPHER = "PBEWithMD5AndDES";
    private static final int ITERATIONS = 10;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * A value in the file: its node, its key, and as written.
     *
     * @param node the node's absolute path
     * @param key the key in the node
     * @param moduleId the password provider module that encrypted it, or null
     * @param text the value after the module id: {@code [IV;]salt,data}, or {@code ,data} in clear
     * @param encrypted whether it is encrypted
     */
    public record Value(String node, String key, String moduleId, String text, boolean encrypted) {

        /** @return the key of the value in the file */
        public String name() {
            return node + (key.contains("/") ? "//" : "/") + key;
        }
    }

    private final Path file;
    private final String cipher;
    private final String keyFactory;
    private final Properties properties;
    private final List<Value> values;

    private SecureStorage(Path file, String cipher, String keyFactory, Properties properties, List<Value> values) {
        this.file = file;
        this.cipher = cipher;
        this.keyFactory = keyFactory;
        this.properties = properties;
        this.values = values;
    }

    /**
     * @param env the user's environment ({@code HOME}, {@code USERPROFILE})
     * @return Eclipse's storage file of that user
     */
    public static Path defaultFile(Map<String, String> env) {
        return UserHome.of(env).resolve(DEFAULT_FILE);
    }

    /**
     * Reads a master password file as Equinox reads {@code -eclipse.password}: its lines
     * (UTF-8), joined without their line ends.
     *
     * @param passwordFile the file
     * @return the password
     * @throws IOException if the file cannot be read
     */
    public static Secret passwordFile(Path passwordFile) throws IOException {
        byte[] bytes = Files.readAllBytes(passwordFile);
        try {
            return Secret.of(new String(bytes, StandardCharsets.UTF_8).replace("\r", "").replace("\n", ""));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** @return the file read */
    public Path file() {
        return file;
    }

    /** @return the cipher of the file's values */
    public String cipher() {
        return cipher;
    }

    /** @return every value of the file, in the order of their keys */
    public List<Value> values() {
        return values;
    }

    /**
     * @param file the storage file
     * @return what it holds
     * @throws IOException if it cannot be read
     * @throws ConfigFormatException if it is not a secure storage file Coffer can read
     */
    public static SecureStorage read(Path file) throws IOException {
        return parse(file, AtomicFile.readLimited(file));
    }

    /**
     * @param file the storage file, to name in errors
     * @param bytes what it holds
     * @return what it holds
     * @throws ConfigFormatException if it is not a secure storage file Coffer can read
     */
    static SecureStorage parse(Path file, byte[] bytes) {
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(bytes));
        } catch (IOException cannotHappen) {
            throw new java.io.UncheckedIOException(cannotHappen);
        } catch (IllegalArgumentException malformed) {
            throw new ConfigFormatException(file, 0, 0, "not a secure storage file: " + malformed.getMessage());
        }
        String version = properties.getProperty(VERSION_KEY);
        if (version != null && !version.equals("1")) {
            throw new ConfigFormatException(file, 0, 0, "secure storage version " + version + "; Coffer reads version 1");
        }
        String cipher = properties.getProperty(CIPHER_KEY, OLD_CIPHER);
        String keyFactory = properties.getProperty(KEY_FACTORY_KEY, cipher);
        Map<String, Value> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.equals(VERSION_KEY) || name.equals(CIPHER_KEY) || name.equals(KEY_FACTORY_KEY)) {
                continue;
            }
            String text = properties.getProperty(name);
            int tab = text.indexOf('\t');
            if (tab < 0) {
                throw new ConfigFormatException(file, 0, 0, "the value of " + name + " has no module id (no tab)");
            }
            int split = name.indexOf("//");
            int at = split >= 0 ? split : name.lastIndexOf('/');
            String node = at < 0 ? "" : name.substring(0, at);
            String key = name.substring(at < 0 ? 0 : at + (split >= 0 ? 2 : 1));
            String sealed = text.substring(tab + 1);
            boolean encrypted = !sealed.startsWith(",") && sealed.contains(",");
            if (!wellFormed(sealed, encrypted)) {
                // a junk value (a damaged or hand-edited file) is named here, never taken for a wrong password
                throw new ConfigFormatException(file, 0, 0, "the value of " + name + " is damaged (not [IV;]salt,data"
                        + " in base64)");
            }
            values.put(name, new Value(node, key, tab == 0 ? null : text.substring(0, tab), sealed, encrypted));
        }
        return new SecureStorage(file, cipher, keyFactory, properties,
                Collections.unmodifiableList(new ArrayList<>(values.values())));
    }

    private static boolean wellFormed(String sealed, boolean encrypted) {
        if (sealed.isEmpty()) {
            return true; // a null value
        }
        int ivEnd = sealed.indexOf(';');
        int saltEnd = sealed.indexOf(',');
        if (saltEnd < 0 || ivEnd > saltEnd || (!encrypted && ivEnd >= 0)) {
            return false;
        }
        try {
            Base64.getDecoder().decode(sealed.substring(saltEnd + 1));
            if (encrypted) {
                Base64.getDecoder().decode(sealed.substring(ivEnd + 1, saltEnd));
                if (ivEnd >= 0) {
                    Base64.getDecoder().decode(sealed.substring(0, ivEnd));
                }
            }
            return true;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** @return the clear value of a node's key, or null when there is none or it is encrypted */
    public String clear(String node, String key) {
        for (Value value : values) {
            if (value.node.equals(node) && value.key.equals(key) && !value.encrypted && value.text.startsWith(",")) {
                return new String(Base64.getDecoder().decode(value.text.substring(1)), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * @param value an encrypted value of this file
     * @param password the master password of its module
     * @return the clear bytes (UTF-8 text); the caller clears them
     * @throws GeneralSecurityException if the password is not this value's, or the value is damaged
     */
    public byte[] decrypt(Value value, char[] password) throws GeneralSecurityException {
        String sealed = value.text;
        int ivEnd = sealed.indexOf(';');
        int saltEnd = sealed.indexOf(',');
        byte[] salt = Base64.getDecoder().decode(sealed.substring(ivEnd + 1, saltEnd));
        byte[] data = Base64.getDecoder().decode(sealed.substring(saltEnd + 1));
        PBEKeySpec spec = new PBEKeySpec(password);
        try {
            SecretKey key = SecretKeyFactory.getInstance(keyFactory).generateSecret(spec);
            PBEParameterSpec parameters = ivEnd < 0 ? new PBEParameterSpec(salt, ITERATIONS)
                    : new PBEParameterSpec(salt, ITERATIONS,
                            new IvParameterSpec(Base64.getDecoder().decode(sealed.substring(0, ivEnd))));
            Cipher decrypting = Cipher.getInstance(cipher);
            decrypting.init(Cipher.DECRYPT_MODE, key, parameters);
            return decrypting.doFinal(data);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * Encrypts a value as Equinox does: 8 random salt bytes, and the IV the cipher made.
     *
     * @param clear the clear bytes
     * @param password the master password
     * @return the value after the module id, {@code [IV;]salt,data}
     * @throws GeneralSecurityException if this Java lacks the file's cipher
     */
    String encrypt(byte[] clear, char[] password) throws GeneralSecurityException {
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        PBEKeySpec spec = new PBEKeySpec(password);
        try {
            SecretKey key = SecretKeyFactory.getInstance(keyFactory).generateSecret(spec);
            Cipher encrypting = Cipher.getInstance(cipher);
            encrypting.init(Cipher.ENCRYPT_MODE, key, new PBEParameterSpec(salt, ITERATIONS));
            byte[] data = encrypting.doFinal(clear);
            byte[] iv = encrypting.getIV();
            Base64.Encoder base64 = Base64.getEncoder();
            return (iv == null ? "" : base64.encodeToString(iv) + ";") + base64.encodeToString(salt) + ","
                    + base64.encodeToString(data);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * @param changed the values to write instead of the file's ({@code name -> module id, tab, sealed}),
     *        {@code null} for a value to leave out
     * @return the file's content with those changes, as Equinox writes it ({@link Properties#store})
     */
    byte[] render(Map<String, String> changed) {
        Properties written = new Properties();
        written.putAll(properties);
        changed.forEach((name, text) -> {
            if (text == null) {
                written.remove(name);
            } else {
                written.put(name, text);
            }
        });
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            written.store(out, HEADER);
        } catch (IOException cannotHappen) {
            throw new java.io.UncheckedIOException(cannotHappen);
        }
        return out.toByteArray();
    }
}
