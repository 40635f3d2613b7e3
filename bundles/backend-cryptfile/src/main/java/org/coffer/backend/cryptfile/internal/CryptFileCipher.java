package org.coffer.backend.cryptfile.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.coffer.keyringfile.FlatJson;
import org.coffer.keyringfile.KeyringCipher;
import org.coffer.keyringfile.KeyringEscape;
import org.coffer.keyringfile.KeyringValue;
import org.coffer.keyringfile.SaltedKeys;

/**
 * keyrings.cryptfile's {@code [Argon2] AES128.GCM}: a 16-byte key from {@link Argon2id}
 * (t=15, m=64 MiB, p=2) over the password and a salt; AES-128-GCM with a 16-byte nonce and
 * tag, the escaped service and username as associated data.
 *
 * <p>Python draws a salt, and so runs Argon2, for every value. Coffer keeps the key of
 * every salt it has met until the keyring is locked, and seals its own values under one
 * salt per unlock, so after unlocking a value costs one AES-GCM operation.
 */
final class CryptFileCipher implements KeyringCipher {

    static final String SCHEME = "[Argon2] AES128.GCM";
    static final String VERSION = "1.3.9";
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Keys keys(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] utf8 = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Argon2Keys(utf8, salt);
    }

    @Override
    public byte[] seal(Keys keys, String service, String username, byte[] plaintext) throws GeneralSecurityException {
        Argon2Keys argon = (Argon2Keys) keys;
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(argon.key(argon.sessionSalt), "AES"),
                new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(associatedData(service, KeyringEscape.escape(username), "\0"));
        byte[] sealed = gcm.doFinal(plaintext);
        int dataLength = sealed.length - TAG_BITS / 8;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("salt", KeyringValue.mimeBase64(argon.sessionSalt));
        fields.put("data", KeyringValue.mimeBase64(Arrays.copyOfRange(sealed, 0, dataLength)));
        fields.put("mac", KeyringValue.mimeBase64(Arrays.copyOfRange(sealed, dataLength, sealed.length)));
        fields.put("nonce", KeyringValue.mimeBase64(nonce));
        return FlatJson.write(fields).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] open(Keys keys, String service, String username, byte[] payload, String fileVersion)
            throws GeneralSecurityException {
        Map<String, String> fields = FlatJson.parse(new String(payload, StandardCharsets.UTF_8));
        byte[] salt = FlatJson.base64Field(fields, "salt");
        byte[] data = FlatJson.base64Field(fields, "data");
        byte[] mac = FlatJson.base64Field(fields, "mac");
        byte[] nonce = FlatJson.base64Field(fields, "nonce");
        if (mac.length != TAG_BITS / 8) {
            // a shorter tag is easier to forge; keyrings.cryptfile writes and accepts 16 bytes only
            throw new java.security.GeneralSecurityException("its GCM tag (mac) is " + mac.length
                    + " bytes; keyrings.cryptfile's are " + TAG_BITS / 8);
        }
        byte[] key = ((Argon2Keys) keys).key(salt);
        byte[] sealed = new byte[data.length + mac.length];
        System.arraycopy(data, 0, sealed, 0, data.length);
        System.arraycopy(mac, 0, sealed, data.length, mac.length);
        for (byte[] aad : associatedDataCandidates(service, username, fileVersion)) {
            try {
                Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
                if (aad != null) {
                    gcm.updateAAD(aad);
                }
                return gcm.doFinal(sealed);
            } catch (AEADBadTagException notThisCandidate) {
                // try the next associated data
            }
        }
        throw new AEADBadTagException("MAC check failed: wrong password, or the value was changed");
    }

    /**
     * The associated data Python used for this file: the joiner by file version, the
     * username as given and, since Python reads option names lower-cased, lower-cased;
     * last, none at all, as Python retries.
     */
    private static List<byte[]> associatedDataCandidates(String service, String username, String fileVersion) {
        String joiner = backslashZero(fileVersion) ? "\\0" : "\0";
        String escaped = KeyringEscape.escape(username);
        List<byte[]> candidates = new ArrayList<>();
        candidates.add(associatedData(service, escaped, joiner));
        String lower = escaped.toLowerCase(Locale.ROOT);
        if (!lower.equals(escaped)) {
            candidates.add(associatedData(service, lower, joiner));
        }
        candidates.add(null);
        return candidates;
    }

    private static byte[] associatedData(String service, String escapedUsername, String joiner) {
        return (KeyringEscape.escape(service) + joiner + escapedUsername).getBytes(StandardCharsets.US_ASCII);
    }

    /** Versions 1.3.6 to 1.3.8 joined with the two characters backslash and zero. */
    static boolean backslashZero(String version) {
        if (version == null) {
            return false;
        }
        String[] parts = version.strip().split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            int patch = parts.length > 2 ? Integer.parseInt(parts[2].replaceAll("[^0-9].*", "")) : 0;
            return major == 1 && minor == 3 && patch >= 6 && patch <= 8;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The key of every salt met since the unlock, and the salt Coffer seals its own values under. */
    private static final class Argon2Keys extends SaltedKeys {
        private final byte[] sessionSalt;

        Argon2Keys(byte[] password, byte[] sessionSalt) {
            super(password);
            this.sessionSalt = sessionSalt;
        }

        @Override
        protected byte[] derive(byte[] password, byte[] salt) {
            return Argon2id.derive(password, salt);
        }
    }
}
