package org.coffer.crypto.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.security.auth.Destroyable;
import org.coffer.Secret;
import org.coffer.crypto.ValueCipher;
import org.jasypt.encryption.pbe.StandardPBEByteEncryptor;
import org.jasypt.exceptions.EncryptionOperationNotPossibleException;
import org.jasypt.iv.RandomIvGenerator;
import org.jasypt.salt.RandomSaltGenerator;
import org.jasypt.salt.StringFixedSaltGenerator;

/**
 * Jasypt's password-based ciphers under one master password. New values are
 * {@code PBEWITHHMACSHA512ANDAES_256} with a random salt and IV (salt ‖ IV ‖ ciphertext,
 * base64), as jasypt-spring-boot writes them; Pineapple's fixed-salt
 * {@code PBEWithMD5AndDES} and Jasypt's default random-salt {@code PBEWithMD5AndDES}
 * are read too.
 *
 * <p>A wrong password passes the padding check of a block cipher by chance (about one
 * key in 256), so a result counts only if it is well-formed UTF-8 text without control
 * characters. Thread-safe.
 */
public final class JasyptCipher implements ValueCipher, Destroyable {

    /** The salt string Pineapple's credential provider uses for every value. */
    public static final String PINEAPPLE_SALT = "sellthehouse!sellthecar?sellthekids";
    static final int ITERATIONS = 1000;

    /** The ciphers Coffer reads; {@link #AES_256} is the one it writes. */
    public enum Scheme {
        /** {@code PBEWITHHMACSHA512ANDAES_256}, random 16-byte salt and IV stored with the value. */
        AES_256,
        /** Pineapple's {@code PBEWithMD5AndDES} with its fixed salt; only the ciphertext is stored. */
        PINEAPPLE_DES,
        /** Jasypt's default {@code PBEWithMD5AndDES}, random 8-byte salt stored with the value. */
        JASYPT_DES
    }

    private final char[] password;
    // Jasypt serialises the operations of one encryptor: one per thread, so loads run in parallel
    private final ThreadLocal<StandardPBEByteEncryptor> aes;
    private final ThreadLocal<StandardPBEByteEncryptor> jasyptDefault;
    private volatile boolean destroyed;

    /**
     * @param password the master password; copied, so the caller may clear its array
     */
    public JasyptCipher(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("The master password is empty");
        }
        this.password = password.clone();
        aes = ThreadLocal.withInitial(() -> {
            StandardPBEByteEncryptor encryptor = encryptor("PBEWITHHMACSHA512ANDAES_256");
            encryptor.setSaltGenerator(new RandomSaltGenerator());
            encryptor.setIvGenerator(new RandomIvGenerator());
            return encryptor;
        });
        jasyptDefault = ThreadLocal.withInitial(() -> {
            StandardPBEByteEncryptor encryptor = encryptor("PBEWithMD5AndDES");
            encryptor.setSaltGenerator(new RandomSaltGenerator());
            return encryptor;
        });
    }

    private StandardPBEByteEncryptor encryptor(String algorithm) {
        StandardPBEByteEncryptor encryptor = new StandardPBEByteEncryptor();
        encryptor.setAlgorithm(algorithm);
        encryptor.setKeyObtentionIterations(ITERATIONS);
        encryptor.setPasswordCharArray(password.clone()); // Jasypt clears the array it is given
        return encryptor;
    }

    /**
     * Encrypts a value with {@link Scheme#AES_256}.
     *
     * @param value the value
     * @return base64 of salt, IV and ciphertext
     */
    @Override
    public String encrypt(Secret value) {
        return encrypt(value, Scheme.AES_256);
    }

    /**
     * Encrypts a value with a given scheme; the legacy schemes exist for tests and
     * migrations only.
     *
     * @param value the value
     * @param scheme the cipher
     * @return base64 of what the scheme stores
     * @throws IllegalArgumentException if the value holds a control character: its
     *     decryption could not tell it from a wrong key's output, so it would be lost
     */
    public String encrypt(Secret value, Scheme scheme) {
        checkAlive();
        byte[] utf8 = value.utf8();
        try {
            if (hasControlCharacter(utf8)) {
                throw new IllegalArgumentException("A value with a control character cannot be encrypted: Coffer"
                        + " encrypts only text, which is how it tells a right master password from a wrong one");
            }
            return Base64.getEncoder().encodeToString(encryptor(scheme).encrypt(utf8));
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /**
     * Decrypts a value written with any of the {@linkplain Scheme schemes}.
     *
     * @param base64 the stored value, without prefix
     * @return the value, or empty if it is not base64 or decrypts with no scheme to text
     */
    public Optional<Secret> decrypt(String base64) {
        checkAlive();
        byte[] stored;
        try {
            stored = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        for (Scheme scheme : Scheme.values()) {
            if (fits(scheme, stored.length)) {
                Optional<Secret> value = decrypt(scheme, stored);
                if (value.isPresent()) {
                    return value;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Decrypts a value written with one scheme.
     *
     * @param scheme the cipher
     * @param base64 the stored value
     * @return the value, or empty if it does not decrypt to text
     */
    public Optional<Secret> decrypt(Scheme scheme, String base64) {
        checkAlive();
        try {
            byte[] stored = Base64.getDecoder().decode(base64.strip());
            return fits(scheme, stored.length) ? decrypt(scheme, stored) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private static boolean fits(Scheme scheme, int length) {
        switch (scheme) {
            case AES_256:
                return length >= 48 && length % 16 == 0;
            case JASYPT_DES:
                return length >= 16 && length % 8 == 0;
            default:
                return length >= 8 && length % 8 == 0;
        }
    }

    private Optional<Secret> decrypt(Scheme scheme, byte[] stored) {
        byte[] plain;
        try {
            plain = encryptor(scheme).decrypt(stored);
        } catch (EncryptionOperationNotPossibleException wrongKeyOrScheme) {
            return Optional.empty();
        }
        try {
            return text(plain).map(Secret::of);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** U+0000 to U+001F and U+007F as one byte, U+0080 to U+009F as C2 80 to C2 9F in UTF-8. */
    private static boolean hasControlCharacter(byte[] utf8) {
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            if (b < 0x20 || b == 0x7f || b == 0xc2 && i + 1 < utf8.length && (utf8[i + 1] & 0xff) < 0xa0) {
                return true;
            }
        }
        return false;
    }

    /** Strict UTF-8 without control characters, else empty: garbage from a wrong key. */
    private static Optional<char[]> text(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars;
        try {
            chars = decoder.decode(ByteBuffer.wrap(utf8));
        } catch (CharacterCodingException garbage) {
            return Optional.empty();
        }
        char[] value = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        for (char c : value) {
            if (Character.isISOControl(c)) {
                Arrays.fill(value, '\0');
                return Optional.empty();
            }
        }
        return Optional.of(value);
    }

    /**
     * With a fixed salt, Jasypt keeps one initialised cipher, which a failed decryption
     * leaves unusable: a fresh encryptor per use.
     */
    private StandardPBEByteEncryptor pineapple() {
        StandardPBEByteEncryptor encryptor = encryptor("PBEWithMD5AndDES");
        encryptor.setSaltGenerator(new StringFixedSaltGenerator(PINEAPPLE_SALT));
        return encryptor;
    }

    private StandardPBEByteEncryptor encryptor(Scheme scheme) {
        switch (scheme) {
            case AES_256:
                return aes.get();
            case PINEAPPLE_DES:
                return pineapple();
            default:
                return jasyptDefault.get();
        }
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("The cipher was destroyed");
        }
    }

    /** Overwrites this object's copy of the master password. */
    @Override
    public void destroy() {
        Arrays.fill(password, '\0');
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "JasyptCipher[****]";
    }
}
