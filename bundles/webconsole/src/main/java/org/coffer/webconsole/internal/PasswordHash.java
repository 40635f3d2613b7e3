package org.coffer.webconsole.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Web Console's salted password form, {@code {sha-256}SALT-ITERATIONS-BASE64}:
 * SHA-256 over the salt and the password, then over the digest, ITERATIONS times in
 * all. The launcher makes it ({@link #create}, from its class path) and gives it in
 * {@value CofferSignIn#HASH}; the sign-in checks a password against it.
 */
public final class PasswordHash {

    private static final String PREFIX = "{sha-256}";
    private static final int ITERATIONS = 1000;

    private final byte[] salt;
    private final int iterations;
    private final byte[] digest;

    private PasswordHash(byte[] salt, int iterations, byte[] digest) {
        this.salt = salt;
        this.iterations = iterations;
        this.digest = digest;
    }

    /**
     * @param password the password; the caller wipes it
     * @return its salted form, with a random salt of 16 hexadecimal digits and 1000 iterations
     */
    public static String create(char[] password) {
        byte[] saltBytes = new byte[8];
        new SecureRandom().nextBytes(saltBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        byte[] digest = digest(salt.getBytes(StandardCharsets.US_ASCII), ITERATIONS, password);
        return PREFIX + salt + "-" + ITERATIONS + "-" + Base64.getEncoder().encodeToString(digest);
    }

    /** @throws IllegalArgumentException if the text is not of that form; it names no part of it */
    static PasswordHash parse(String text) {
        String[] parts = text.startsWith(PREFIX) ? text.substring(PREFIX.length()).split("-") : new String[0];
        try {
            if (parts.length != 3 || Integer.parseInt(parts[1]) < 1) {
                throw new IllegalArgumentException("not " + PREFIX + "SALT-ITERATIONS-BASE64");
            }
            return new PasswordHash(parts[0].getBytes(StandardCharsets.US_ASCII), Integer.parseInt(parts[1]),
                    Base64.getDecoder().decode(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The console's password property is " + e.getMessage().split(":")[0]);
        }
    }

    /** @return whether the password is the one hashed; compared in constant time */
    boolean matches(char[] password) {
        return MessageDigest.isEqual(digest(salt, iterations, password), digest);
    }

    private static byte[] digest(byte[] salt, int iterations, char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] data = new byte[salt.length + encoded.remaining()];
        System.arraycopy(salt, 0, data, 0, salt.length);
        encoded.get(data, salt.length, encoded.remaining());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] current = data;
            for (int i = 0; i < iterations; i++) {
                sha.reset();
                current = sha.digest(current);
            }
            return current;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        } finally {
            Arrays.fill(data, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
