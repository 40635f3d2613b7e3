package org.coffer.secretservice.provider.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.CredentialProvider;
import org.coffer.KeyringEntry;
import org.coffer.Secret;

/**
 * Items whose attributes are not Python's {@code service} and {@code username} (what
 * {@code secret-tool store host example.com} or a libsecret schema makes): kept whole in
 * the chain, the secret under {@value ItemMeta#SERVICE} and their attributes, label,
 * content type and times in a companion entry under {@value ItemMeta#META_SERVICE}, both
 * with a digest of the attributes as username. A binary secret is kept in base64.
 */
final class OtherItems {

    private final java.util.function.Supplier<CredentialProvider> provider;

    OtherItems(java.util.function.Supplier<CredentialProvider> provider) {
        this.provider = provider;
    }

    static boolean isOther(KeyringEntry entry) {
        return ItemMeta.SERVICE.equals(entry.service());
    }

    /** @return the item's companion, if it has one */
    Optional<ItemMeta> meta(KeyringEntry entry) {
        if (!isOther(entry)) {
            return Optional.empty();
        }
        Optional<Secret> text = provider.get().get(ItemMeta.META_SERVICE, entry.username());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try (Secret secret = text.get()) {
            return Optional.of(ItemMeta.parse(secret.reveal()));
        }
    }

    /** @return the items among the entries whose attributes include all those wanted */
    List<KeyringEntry> search(List<KeyringEntry> entries, Map<String, String> wanted) {
        List<KeyringEntry> found = new ArrayList<>();
        for (KeyringEntry entry : entries) {
            if (isOther(entry)) {
                meta(entry).filter(meta -> meta.attributes.entrySet().containsAll(wanted.entrySet()))
                        .ifPresent(meta -> found.add(entry));
            }
        }
        return found;
    }

    /**
     * Keeps an item: its secret, then its companion (the first time with its creation time).
     *
     * @return the item's entry
     */
    KeyringEntry put(Map<String, String> attributes, String label, byte[] value, String contentType) {
        KeyringEntry entry = new KeyringEntry(ItemMeta.SERVICE, ItemMeta.idOf(attributes));
        long now = System.currentTimeMillis() / 1000;
        long created = meta(entry).map(old -> old.created).orElse(now);
        boolean base64 = !isText(value);
        char[] chars = base64 ? Base64.getEncoder().encodeToString(value).toCharArray() : text(value);
        try (Secret secret = Secret.of(chars)) {
            provider.get().set(entry.service(), entry.username(), secret);
        } finally {
            Arrays.fill(chars, '\0');
        }
        try (Secret meta = Secret.of(new ItemMeta(attributes, label, contentType, base64, created, now).render())) {
            provider.get().set(ItemMeta.META_SERVICE, entry.username(), meta);
        }
        return entry;
    }

    /** @return the secret's bytes as the client gave them, or empty when the item is gone */
    Optional<byte[]> secret(KeyringEntry entry, ItemMeta meta) {
        Optional<Secret> value = provider.get().get(entry.service(), entry.username());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try (Secret secret = value.get()) {
            char[] chars = secret.chars();
            try {
                if (meta.base64) {
                    ByteBuffer decoded = Base64.getDecoder().decode(StandardCharsets.ISO_8859_1.encode(CharBuffer.wrap(chars)));
                    byte[] out = new byte[decoded.remaining()];
                    decoded.get(out);
                    return Optional.of(out);
                }
                return Optional.of(bytes(chars));
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
    }

    void delete(KeyringEntry entry) {
        provider.get().delete(entry.service(), entry.username());
        provider.get().delete(ItemMeta.META_SERVICE, entry.username());
    }

    /** @return the characters as UTF-8 bytes, which the caller clears */
    static byte[] bytes(char[] chars) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = Arrays.copyOf(bytes.array(), bytes.limit());
        Arrays.fill(bytes.array(), (byte) 0);
        return out;
    }

    static boolean isText(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException binary) {
            return false;
        }
    }

    /** @return the UTF-8 text as characters, which the caller clears (no String holds the secret) */
    static char[] text(byte[] value) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(value));
        char[] out = Arrays.copyOf(chars.array(), chars.limit());
        Arrays.fill(chars.array(), '\0');
        return out;
    }
}
