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
 * key itself is stored in etcd wrapped by the {@link KeyEncryptionKey}, with its
 * generation: one more than the highest the fleet had, so that a {@code current} taken
 * back to an older key is told from a newer one.
 *
 * <p>A value is {@code 0x02}, the length of the key id, the key id (ASCII), then nonce,
 * ciphertext and tag of: the value's counter (8 bytes, big-endian), the length of the
 * service (4 bytes), the service, the length of the username, the username, the secret,
 * all UTF-8. The counter grows with every write of the entry, so that a value taken back
 * from etcd's history is older than one already seen. A value of the first format
 * ({@code 0x01}, no counter) reads as counter 0; a wrapped key of the first format (no
 * generation) as generation 0.
 */
final class DataKey {

    static final byte FIRST_FORMAT = 1;
    static final byte FORMAT = 2;
    private static final int FIRST_WRAPPED = Aead.NONCE_BYTES + 32 + Aead.TAG_BYTES;
    private static final int WRAPPED = 1 + Long.BYTES + FIRST_WRAPPED;
    private static final byte[] NAMES = "coffer etcd names v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = "coffer etcd values v1".getBytes(StandardCharsets.US_ASCII);

    final String id;
    final long generation;
    private final SecretKeySpec valueKey;
    private final SecretKeySpec nameKey;

    private DataKey(String id, long generation, byte[] key) {
        this.id = id;
        this.generation = generation;
        byte[] values = hmac(new SecretKeySpec(key, "HmacSHA256"), VALUES);
        byte[] names = hmac(new SecretKeySpec(key, "HmacSHA256"), NAMES);
        this.valueKey = new SecretKeySpec(values, "AES");
        this.nameKey = new SecretKeySpec(names, "HmacSHA256");
        Arrays.fill(values, (byte) 0);
        Arrays.fill(names, (byte) 0);
    }

    /**
     * @return a new random data key of that generation with a random id; its key material
     *     is handed to {@code wrapped} once, wrapped for the etcd key {@code etcdKeyOfId + id}
     */
    static DataKey generate(KeyEncryptionKey kek, String etcdKeyOfId, long generation,
            java.util.function.Consumer<byte[]> wrapped) {
        String id = HexFormat.of().formatHex(Aead.random(8));
        byte[] key = Aead.random(32);
        try {
            byte[] header = ByteBuffer.allocate(1 + Long.BYTES).put(FORMAT).putLong(generation).array();
            byte[] sealed = kek.wrap(key, associated(etcdKeyOfId + id, header));
            wrapped.accept(ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array());
            return new DataKey(id, generation, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * @return the data key stored at {@code etcdKey} (whose last segment is its id)
     * @throws BackendException if it is not a data key wrapped by this key-encryption key for that etcd key
     */
    static DataKey unwrap(KeyEncryptionKey kek, String etcdKey, byte[] wrapped) {
        String id = etcdKey.substring(etcdKey.lastIndexOf('/') + 1);
        long generation = 0;
        byte[] key;
        if (wrapped.length == WRAPPED && wrapped[0] == FORMAT) {
            byte[] header = Arrays.copyOf(wrapped, 1 + Long.BYTES);
            generation = ByteBuffer.wrap(header, 1, Long.BYTES).getLong();
            key = kek.unwrap(Arrays.copyOfRange(wrapped, header.length, wrapped.length),
                    associated(etcdKey, header), etcdKey);
        } else if (wrapped.length == FIRST_WRAPPED) {
            key = kek.unwrap(wrapped, etcdKey.getBytes(StandardCharsets.UTF_8), etcdKey);
        } else {
            throw new BackendException("The data key " + etcdKey + " is not a wrapped data key (" + wrapped.length
                    + " bytes); delete it, it seals nothing that opens");
        }
        try {
            return new DataKey(id, generation, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** @return the etcd key of an entry: the entries' folder, then base64url of the HMAC of its names */
    String entryKey(String entries, String service, String username) {
        byte[] names = names(service, username);
        return entries + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(nameKey, names));
    }

    /** @return the stored value of an entry, carrying its counter */
    byte[] seal(String etcdKey, String service, String username, long counter, Secret secret) {
        byte[] names = names(service, username);
        byte[] value = secret.utf8();
        byte[] plain = ByteBuffer.allocate(Long.BYTES + names.length + value.length).putLong(counter).put(names)
                .put(value).array();
        Arrays.fill(value, (byte) 0);
        byte[] header = header(FORMAT, id);
        try {
            byte[] sealed = Aead.seal(valueKey, plain, associated(etcdKey, header));
            return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** @return the key id a stored value names, or {@code null} if it is not in Coffer's format */
    static String idOf(byte[] stored) {
        if (stored.length < 2 || stored[0] != FORMAT && stored[0] != FIRST_FORMAT || stored.length < 2 + stored[1]) {
            return null;
        }
        return new String(stored, 2, stored[1], StandardCharsets.US_ASCII);
    }

    /** An entry's names, counter and secret, as opened. */
    static final class Opened {
        final String service;
        final String username;
        final long counter;
        final Secret secret;

        Opened(String service, String username, long counter, Secret secret) {
            this.service = service;
            this.username = username;
            this.counter = counter;
            this.secret = secret;
        }
    }

    /**
     * @return the names, counter and secret of a stored value
     * @throws BackendException if it was not sealed with this key for this etcd key
     */
    Opened open(String etcdKey, byte[] stored) {
        byte format = stored[0];
        byte[] header = header(format, id);
        byte[] plain;
        try {
            plain = Aead.open(valueKey, stored, header.length, associated(etcdKey, header));
        } catch (AEADBadTagException e) {
            throw new BackendException("fails authentication with data key " + id + " (at " + etcdKey
                    + "): it was changed in etcd, or moved from another key");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(plain);
            long counter = format == FIRST_FORMAT ? 0 : in.getLong();
            String service = text(in);
            String username = text(in);
            byte[] value = Arrays.copyOfRange(plain, in.position(), plain.length);
            try {
                return new Opened(service, username, counter, Secret.fromUtf8(value));
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        } catch (RuntimeException e) {
            throw new BackendException("decrypts, but not to Coffer's entry format (at " + etcdKey + ")");
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

    private static byte[] header(byte format, String id) {
        byte[] ascii = id.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + ascii.length).put(format).put((byte) ascii.length).put(ascii).array();
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
        return "DataKey[" + id + ", generation " + generation + "]";
    }
}
