package org.coffer.backend.secretservice.protocol;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.coffer.BackendException;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.EncodedSecret;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;

/**
 * How secrets cross the bus in one session: in clear ({@code plain}) or encrypted
 * ({@code dh-ietf1024-sha256-aes128-cbc-pkcs7}: a Diffie-Hellman exchange in the second
 * Oakley group of RFC 2409, HKDF-SHA256 with no salt and no info to an AES-128 key,
 * AES-CBC with PKCS#7 padding and a fresh IV per secret), as the
 * <a href="https://specifications.freedesktop.org/secret-service-spec/latest/transfer-secrets.html">Secret
 * Service specification</a> defines them.
 */
public final class TransportCipher {

    public static final String PLAIN = "plain";
    public static final String DH_AES = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

    private static final BigInteger PRIME = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
            + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
            + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16);
    private static final BigInteger GENERATOR = BigInteger.TWO;
    private static final int PRIME_BYTES = 128;
    private static final int EXPONENT_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String algorithm;
    private final SecretKeySpec key;

    private TransportCipher(String algorithm, SecretKeySpec key) {
        this.algorithm = algorithm;
        this.key = key;
    }

    /** The first half of a session: what the client sends to {@code OpenSession}. */
    public static final class Offer {
        public final String algorithm;
        private final BigInteger privateKey;

        public Offer(String algorithm) {
            if (!PLAIN.equals(algorithm) && !DH_AES.equals(algorithm)) {
                throw new IllegalArgumentException("Unknown Secret Service transport '" + algorithm + "'; use "
                        + DH_AES + " or " + PLAIN);
            }
            this.algorithm = algorithm;
            this.privateKey = PLAIN.equals(algorithm) ? null : privateKey();
        }

        /** @return the {@code OpenSession} input: an empty string, or our public key */
        public Variant<?> input() {
            if (privateKey == null) {
                return new Variant<>("");
            }
            return new Variant<>(unsigned(GENERATOR.modPow(privateKey, PRIME)), "ay");
        }

        /**
         * @param output the {@code OpenSession} output: nothing, or the service's public key
         * @return the session's cipher
         */
        public TransportCipher accept(Variant<?> output) {
            if (privateKey == null) {
                return new TransportCipher(PLAIN, null);
            }
            byte[] key = bytes(output.getValue());
            if (key == null) {
                throw new BackendException("The Secret Service answered " + DH_AES + " without a public key");
            }
            BigInteger theirs = new BigInteger(1, key);
            if (theirs.compareTo(BigInteger.ONE) <= 0 || theirs.compareTo(PRIME.subtract(BigInteger.ONE)) >= 0) {
                throw new BackendException("The Secret Service sent an invalid Diffie-Hellman public key");
            }
            byte[] shared = padded(unsigned(theirs.modPow(privateKey, PRIME)));
            try {
                return new TransportCipher(DH_AES, new SecretKeySpec(hkdfSha256(shared, 16), "AES"));
            } finally {
                Arrays.fill(shared, (byte) 0);
            }
        }
    }

    /** @return a D-Bus {@code ay} as dbus-java hands it over inside a variant, or null */
    /**
     * A private exponent of {@value #EXPONENT_BITS} random bits: twice the strength of the
     * 1024-bit group (about 80 bits), as RFC 3526 advises, and a quarter of the work of a
     * full-size exponent at each of the two exponentiations of a session.
     */
    private static BigInteger privateKey() {
        BigInteger key;
        do {
            key = new BigInteger(EXPONENT_BITS, RANDOM);
        } while (key.bitLength() < EXPONENT_BITS - 8);
        return key;
    }

    public static byte[] bytes(Object value) {
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof Byte[]) {
            value = java.util.List.of((Byte[]) value);
        }
        if (value instanceof java.util.List) {
            java.util.List<?> list = (java.util.List<?>) value;
            byte[] out = new byte[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Byte)) {
                    return null;
                }
                out[i] = (Byte) list.get(i);
            }
            return out;
        }
        return null;
    }

    public String algorithm() {
        return algorithm;
    }

    /** @return the secret struct for a value; the caller clears {@code value} */
    public EncodedSecret encode(DBusPath session, byte[] value) {
        if (key == null) {
            return new EncodedSecret(session, new byte[0], value.clone(), "text/plain");
        }
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            return new EncodedSecret(session, iv, aes.doFinal(value), "text/plain");
        } catch (GeneralSecurityException e) {
            throw new BackendException("Cannot encrypt for the Secret Service session: " + e.getMessage(), e);
        }
    }

    /** @return the value of a secret struct; the caller clears it */
    public byte[] decode(EncodedSecret secret) {
        if (key == null) {
            return secret.value;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(secret.parameters));
            return aes.doFinal(secret.value);
        } catch (GeneralSecurityException e) {
            // the message names the algorithm problem, never the value
            throw new BackendException("Cannot decrypt a secret from the Secret Service session: " + e.getMessage(), e);
        }
    }

    public static byte[] hkdfSha256(byte[] inputKey, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] pseudoRandomKey = mac.doFinal(inputKey);
            mac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            byte[] block = mac.doFinal(new byte[] {1});
            Arrays.fill(pseudoRandomKey, (byte) 0);
            byte[] out = Arrays.copyOf(block, length);
            Arrays.fill(block, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] padded(byte[] bytes) {
        if (bytes.length >= PRIME_BYTES) {
            return bytes;
        }
        byte[] out = new byte[PRIME_BYTES];
        System.arraycopy(bytes, 0, out, PRIME_BYTES - bytes.length, bytes.length);
        Arrays.fill(bytes, (byte) 0);
        return out;
    }
}
