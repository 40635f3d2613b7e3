package org.coffer.backend.encryptedfile.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.coffer.keyringfile.FlatJson;
import org.coffer.keyringfile.KeyringCipher;
import org.coffer.keyringfile.KeyringValue;
import org.coffer.keyringfile.SaltedKeys;

/**
 * keyrings.alt's {@code [PBKDF2] AES256.CFB}: per value a random 32-byte salt and
 * 16-byte IV, a key from PBKDF2-HMAC-SHA1 (1000 rounds) over the password as latin-1,
 * AES-256 in CFB-8 mode over {@code pw:} and the value. No associated data.
 */
final class EncryptedFileCipher implements KeyringCipher {

    static final String SCHEME = "[PBKDF2] AES256.CFB";
    static final String VERSION = "1.0";
    private static final byte[] PREFIX = {'p', 'w', ':'};

    private final SecureRandom random = new SecureRandom();

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    /** Python's PyCryptodome encodes the password as latin-1; other characters cannot be used. */
    @Override
    public Keys keys(char[] password) {
        byte[] latin1 = new byte[password.length];
        for (int i = 0; i < password.length; i++) {
            if (password[i] > 0xff) {
                Arrays.fill(latin1, (byte) 0);
                throw new IllegalArgumentException("The keyrings.alt EncryptedKeyring format takes passwords in"
                        + " latin-1 only; the password holds other characters");
            }
            latin1[i] = (byte) password[i];
        }
        return new Pbkdf2Keys(latin1);
    }

    @Override
    public byte[] seal(Keys keys, String service, String username, byte[] plaintext) throws GeneralSecurityException {
        byte[] salt = new byte[32];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        byte[] prefixed = new byte[PREFIX.length + plaintext.length];
        System.arraycopy(PREFIX, 0, prefixed, 0, PREFIX.length);
        System.arraycopy(plaintext, 0, prefixed, PREFIX.length, plaintext.length);
        try {
            Cipher cfb = cipher(Cipher.ENCRYPT_MODE, ((Pbkdf2Keys) keys).key(salt), iv);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("salt", KeyringValue.mimeBase64(salt));
            fields.put("IV", KeyringValue.mimeBase64(iv));
            fields.put("password_encrypted", KeyringValue.mimeBase64(cfb.doFinal(prefixed)));
            return FlatJson.write(fields).getBytes(StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(prefixed, (byte) 0);
        }
    }

    @Override
    public byte[] open(Keys keys, String service, String username, byte[] payload, String fileVersion)
            throws GeneralSecurityException {
        Map<String, String> fields = FlatJson.parse(new String(payload, StandardCharsets.UTF_8));
        byte[] salt = FlatJson.base64Field(fields, "salt");
        byte[] iv = FlatJson.base64Field(fields, "IV");
        byte[] sealed = FlatJson.base64Field(fields, "password_encrypted");
        byte[] plain = cipher(Cipher.DECRYPT_MODE, ((Pbkdf2Keys) keys).key(salt), iv).doFinal(sealed);
        if (plain.length < PREFIX.length || plain[0] != 'p' || plain[1] != 'w' || plain[2] != ':') {
            Arrays.fill(plain, (byte) 0);
            throw new BadPaddingException("Incorrect Password");
        }
        byte[] value = Arrays.copyOfRange(plain, PREFIX.length, plain.length);
        Arrays.fill(plain, (byte) 0);
        return value;
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        Cipher cfb = Cipher.getInstance("AES/CFB8/NoPadding");
        cfb.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return cfb;
    }

    /** PBKDF2-HMAC-SHA1 over latin-1 bytes (the JDK's PBKDF2 would encode the password as UTF-8). */
    static byte[] pbkdf2(byte[] password, byte[] salt, int rounds, int length) throws GeneralSecurityException {
        if (password.length == 0) {
            throw new IllegalArgumentException("The keyring password must not be empty");
        }
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(password, "HmacSHA1"));
        byte[] out = new byte[length];
        int produced = 0;
        for (int block = 1; produced < length; block++) {
            hmac.update(salt);
            hmac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
            byte[] u = hmac.doFinal();
            byte[] t = u.clone();
            for (int i = 1; i < rounds; i++) {
                u = hmac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            int n = Math.min(t.length, length - produced);
            System.arraycopy(t, 0, out, produced, n);
            produced += n;
        }
        return out;
    }

    /** The key of every salt met since the unlock. */
    private static final class Pbkdf2Keys extends SaltedKeys {
        Pbkdf2Keys(byte[] password) {
            super(password);
        }

        @Override
        protected byte[] derive(byte[] password, byte[] salt) throws GeneralSecurityException {
            return pbkdf2(password, salt, 1000, 32);
        }
    }
}
