package org.coffer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * A secret value: a password, an API key, a token.
 *
 * <p>The value is held as a {@code char[]} that {@link #destroy()} overwrites. It never
 * appears in {@link #toString()}, and {@link #equals(Object)} compares in constant time.
 * A {@code Secret} is immutable until destroyed; every accessor returns a copy.
 */
public final class Secret implements Destroyable, AutoCloseable {

    private final char[] value;
    private volatile boolean destroyed;

    private Secret(char[] value) {
        this.value = value;
    }

    /**
     * Creates a secret from a copy of the given characters. The caller may clear its
     * array afterwards.
     *
     * @param value the characters, not {@code null}
     * @return a new secret
     */
    public static Secret of(char[] value) {
        return new Secret(value.clone());
    }

    /**
     * Creates a secret from a string. Prefer {@link #of(char[])} where the value is
     * already in an array, since a string cannot be cleared.
     *
     * @param value the value, not {@code null}
     * @return a new secret
     */
    public static Secret of(String value) {
        return new Secret(value.toCharArray());
    }

    /**
     * Creates a secret from UTF-8 bytes, strictly: bytes that are not UTF-8 are an
     * error, never replaced, so that a damaged value is never taken for another.
     *
     * @param utf8 the encoded value
     * @return a new secret
     * @throws IllegalArgumentException if the bytes are not UTF-8; the message holds no
     *         part of the value
     */
    public static Secret fromUtf8(byte[] utf8) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the stored value is not UTF-8 text");
        }
        char[] value = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        return new Secret(value);
    }

    /**
     * Returns a copy of the value. The caller should clear it after use.
     *
     * @return the characters of the secret
     * @throws IllegalStateException if the secret was destroyed
     */
    public char[] chars() {
        checkAlive();
        return value.clone();
    }

    /**
     * Returns the value as a string, for APIs that accept nothing else. The string
     * cannot be cleared; prefer {@link #chars()}.
     *
     * @return the value
     * @throws IllegalStateException if the secret was destroyed
     */
    public String reveal() {
        checkAlive();
        return new String(value);
    }

    /**
     * Returns the value encoded as UTF-8. The caller should clear the array after use.
     *
     * @return the encoded value
     * @throws IllegalStateException if the secret was destroyed
     */
    public byte[] utf8() {
        checkAlive();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] out = Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
        Arrays.fill(bytes.array(), (byte) 0);
        return out;
    }

    /**
     * Returns the number of characters of the value.
     *
     * @return the length
     */
    public int length() {
        return value.length;
    }

    /** Overwrites the value. Later accessors throw {@link IllegalStateException}. */
    @Override
    public void destroy() {
        Arrays.fill(value, '\0');
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, so a secret can be used in try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("The secret was destroyed");
        }
    }

    /** Compares the values in time that does not depend on where they differ. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Secret)) {
            return false;
        }
        char[] a = value;
        char[] b = ((Secret) other).value;
        int diff = a.length ^ b.length;
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            char x = i < a.length ? a[i] : 0;
            char y = i < b.length ? b[i] : 0;
            diff |= x ^ y;
        }
        return diff == 0;
    }

    /** A constant: a hash would leak information about the value. */
    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return destroyed ? "Secret[destroyed]" : "Secret[****]";
    }
}
