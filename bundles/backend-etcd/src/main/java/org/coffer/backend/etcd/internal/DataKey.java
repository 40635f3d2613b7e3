package org.coffer.backend.etcd.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.coffer.BackendException;
import org.coffer.CofferException;
import org.coffer.Secret;

/**
 * A fleet's data key: the values in etcd are sealed with it (AES-256-GCM, the full etcd
 * key as associated data), and the names of their etcd keys are HMAC-SHA256 of service
 * and username under a name key derived from it, so that etcd sees neither. The data
 * key itself is stored in etcd wrapped by the {@link KeyEncryptionKey}.
 *
 * <p>A value is {@code 0x01}, the length of the key id, the key id (ASCII), then nonce,
 * ciphertext and tag of: the length of the service (4 bytes, big-endian), the service,
 * the length of the username, the username, the secret, all UTF-8.
 */
final class DataKey {

    static final byte FORMAT = 1;
    private static final byte[] NAMES = "coffer etcd names v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = "coffer etcd values v1".getBytes(StandardCharsets.US_ASCII);

    final String id;
    private final SecretKeySpec valueKey;
    private final SecretKeySpec nameKey;

    private DataKey(String id, byte[] key) {
        this.id = id;
        byte[] values = hmac(new SecretKeySpec(key, "HmacSHA256"), VALUES);
        byte[] names = hmac(new SecretKeySpec(key, "HmacSHA256"), NAMES);
        this.valueKey = new SecretKeySpec(values, "AES");
        this.nameKey = new SecretKeySpec(names, "HmacSHA256");
        Arrays.fill(values, (byte) 0);
        Arrays.fill(names, (byte) 0);
    }

    /** @return a new random data key with a random id; its key material is handed to {@code wrapped} once */
    static DataKey generate(KeyEncryptionKey kek, String etcdKeyOfId, java.util.function.Consumer<byte[]> wrapped) {
        String id = HexFormat.of().formatHex(Aead.random(8));
        byte[] key = Aead.random(32);
        try {
            wrapped.accept(kek.wrap(key, (etcdKeyOfId + id).getBytes(StandardCharsets.UTF_8)));
            return new DataKey(id, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** @return the data key stored at {@code etcdKey} (whose last segment is its id) */
    static DataKey unwrap(KeyEncryptionKey kek, String etcdKey, byte[] wrapped) {
        byte[] key = kek.unwrap(wrapped, etcdKey.getBytes(StandardCharsets.UTF_8), etcdKey);
        try {
            return new DataKey(etcdKey.substring(etcdKey.lastIndexOf('/') + 1), key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** @return the etcd key of an entry: the entries' folder, then base64url of the HMAC of its names */
    String entryKey(String entries, String service, String username) {
        byte[] names = names(service, username);
        return entries + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(nameKey, names));
    }

    /** @return the stored value of an entry */
    byte[] seal(String etcdKey, String service, String username, Secret secret) {
        byte[] names = names(service, username);
        byte[] value = secret.utf8();
        byte[] plain = ByteBuffer.allocate(names.length + value.length).put(names).put(value).array();
        Arrays.fill(value, (byte) 0);
        byte[] header = header(id);
        try {
            byte[] sealed = Aead.seal(valueKey, plain, associated(etcdKey, header));
            return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** @return the key id a stored value names, or {@code null} if it is not in Coffer's format */
    static String idOf(byte[] stored) {
        if (stored.length < 2 || stored[0] != FORMAT || stored.length < 2 + stored[1]) {
            return null;
        }
        return new String(stored, 2, stored[1], StandardCharsets.US_ASCII);
    }

    /** An entry's names and secret, as opened. */
    static final class Opened {
        final String service;
        final String username;
        final Secret secret;

        Opened(String service, String username, Secret secret) {
            this.service = service;
            this.username = username;
            this.secret = secret;
        }
    }

    /**
     * @return the names and secret of a stored value
     * @throws BackendException if it was not sealed with this key for this etcd key
     */
    Opened open(String etcdKey, byte[] stored) {
        byte[] header = header(id);
        byte[] plain;
        try {
            plain = Aead.open(valueKey, stored, header.length, associated(etcdKey, header));
        } catch (AEADBadTagException e) {
            throw new BackendException("The value at " + etcdKey + " does not decrypt with data key " + id
                    + ": it was changed, or moved from another key");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(plain);
            String service = text(in);
            String username = text(in);
            byte[] value = Arrays.copyOfRange(plain, in.position(), plain.length);
            try {
                return new Opened(service, username, Secret.fromUtf8(value));
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        } catch (RuntimeException e) {
            throw new BackendException("The value at " + etcdKey + " decrypts, but not to Coffer's entry format");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] names(String service, String username) {
        byte[] s = service.getBytes(StandardCharsets.UTF_8);
        byte[] u = username.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + s.length + u.length).putInt(s.length).put(s).putInt(u.length).put(u).array();
    }

    private static byte[] header(String id) {
        byte[] ascii = id.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + ascii.length).put(FORMAT).put((byte) ascii.length).put(ascii).array();
    }

    private static byte[] associated(String etcdKey, byte[] header) {
        byte[] key = etcdKey.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(key.length + 1 + header.length).put(key).put((byte) 0).put(header).array();
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new CofferException("This Java runtime offers no HMAC-SHA256: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DataKey[" + id + "]";
    }
}
