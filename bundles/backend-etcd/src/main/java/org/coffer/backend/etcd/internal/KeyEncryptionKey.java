package org.coffer.backend.etcd.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.coffer.BackendException;
import org.coffer.Secret;
import org.coffer.files.OwnerOnly;

/**
 * The 256-bit key that wraps the data keys stored in etcd; it never reaches etcd. It
 * comes from a local backend's entry or from a file of its base64, which is created
 * random and 0600 when missing, and refused when others may read it or it is a link.
 */
final class KeyEncryptionKey {


    private final SecretKeySpec key;
    private final String source;

    private KeyEncryptionKey(byte[] key, String source) {
        this.key = new SecretKeySpec(key, "AES");
        Arrays.fill(key, (byte) 0);
        this.source = source;
    }

    /**
     * @param base64 the base64 of 32 bytes
     * @param source names where it came from, for messages
     */
    static KeyEncryptionKey of(Secret base64, String source) {
        char[] text = base64.chars();
        try {
            byte[] ascii = new byte[text.length];
            int length = 0;
            for (char c : text) {
                if (!Character.isWhitespace(c)) {
                    ascii[length++] = (byte) c;
                }
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(Arrays.copyOf(ascii, length));
            } finally {
                Arrays.fill(ascii, (byte) 0);
            }
            if (key.length != 32) {
                Arrays.fill(key, (byte) 0);
                throw new BackendException("The key-encryption key from " + source + " is " + key.length
                        + " bytes; it must be the base64 of 32 random bytes (openssl rand -base64 32)");
            }
            return new KeyEncryptionKey(key, source);
        } catch (IllegalArgumentException notBase64) {
            throw new BackendException("The key-encryption key from " + source + " is not base64; it must be the"
                    + " base64 of 32 random bytes (openssl rand -base64 32)");
        } finally {
            Arrays.fill(text, '\0');
        }
    }

    /** Reads the file, creating it with a random key (0600) when it is missing. */
    static KeyEncryptionKey file(Path file) {
        try {
            if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(file);
            }
            String notPrivate = OwnerOnly.whyNotPrivateFile(file);
            if (notPrivate != null) {
                throw new BackendException("The key-encryption key file is not used: " + notPrivate);
            }
            byte[] content = Files.readAllBytes(file);
            try (Secret base64 = Secret.fromUtf8(content)) {
                return of(base64, file.toString());
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        } catch (IOException e) {
            throw new BackendException("Cannot read the key-encryption key file " + file + ": " + e, e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent(), OwnerOnly.folder());
        byte[] key = Aead.random(32);
        byte[] base64 = Base64.getEncoder().encode(key);
        Arrays.fill(key, (byte) 0);
        try {
            // created 0600 and exclusively: a file made meanwhile by another process is read instead
            try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC, LinkOption.NOFOLLOW_LINKS),
                    OwnerOnly.file())) {
                out.write(ByteBuffer.wrap(base64));
            }
        } catch (FileAlreadyExistsException madeMeanwhile) {
            // read as it is
        } finally {
            Arrays.fill(base64, (byte) 0);
        }
    }

    /** @return nonce, wrapped key and tag, bound to the etcd key that stores them */
    byte[] wrap(byte[] dataKey, byte[] etcdKey) {
        return Aead.seal(key, dataKey, etcdKey);
    }

    /**
     * @return the data key
     * @throws BackendException saying that this key-encryption key is not the one that wrapped it
     */
    byte[] unwrap(byte[] wrapped, byte[] etcdKey, String where) {
        try {
            return Aead.open(key, wrapped, 0, etcdKey);
        } catch (AEADBadTagException e) {
            throw new BackendException("Cannot decrypt the data key " + where + " with the key-encryption key from "
                    + source + ": it is not the key-encryption key this fleet's data key was wrapped with", e);
        }
    }

    /** @return a key for another purpose, derived from this one by HMAC-SHA256 of the label; the caller wipes it */
    byte[] derive(byte[] label) {
        byte[] material = key.getEncoded();
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(material, "HmacSHA256"));
            return mac.doFinal(label);
        } catch (java.security.GeneralSecurityException e) {
            throw new org.coffer.CofferException("This Java runtime offers no HMAC-SHA256: " + e.getMessage(), e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** @return where the key came from */
    String source() {
        return source;
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[" + source + "]";
    }
}
