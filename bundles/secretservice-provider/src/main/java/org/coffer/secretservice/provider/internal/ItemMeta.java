package org.coffer.secretservice.provider.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What an item that is not a Python-style entry keeps beside its secret: its attributes,
 * label, content type, whether the secret is stored in base64 (binary), and its times.
 * Kept as the value of a companion entry, so it is encrypted wherever the backend
 * encrypts; written in {@link Properties} form.
 */
final class ItemMeta {

    /** The service of such items' secrets: {@code keyring:get} and {@code migrate} see them there. */
    static final String SERVICE = "org.freedesktop.Secret.Item";
    /** The service of their companion entries. */
    static final String META_SERVICE = "org.freedesktop.Secret.Item properties";

    private static final String ATTRIBUTE = "attribute.";

    final Map<String, String> attributes;
    final String label;
    final String contentType;
    final boolean base64;
    final long created;
    final long modified;

    ItemMeta(Map<String, String> attributes, String label, String contentType, boolean base64, long created,
            long modified) {
        this.attributes = new TreeMap<>(attributes);
        this.label = label;
        this.contentType = contentType;
        this.base64 = base64;
        this.created = created;
        this.modified = modified;
    }

    /** @return the item's username under {@link #SERVICE}: a digest of its attributes, so equal attributes are one item */
    static String idOf(Map<String, String> attributes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(attributes).forEach((name, value) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    String render() {
        Properties properties = new Properties();
        attributes.forEach((name, value) -> properties.setProperty(ATTRIBUTE + name, value));
        properties.setProperty("label", label);
        properties.setProperty("content.type", contentType);
        properties.setProperty("encoding", base64 ? "base64" : "text");
        properties.setProperty("created", Long.toString(created));
        properties.setProperty("modified", Long.toString(modified));
        StringWriter out = new StringWriter();
        try {
            properties.store(out, null);
        } catch (IOException cannotHappen) {
            throw new UncheckedIOException(cannotHappen);
        }
        return out.toString();
    }

    static ItemMeta parse(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException damaged) {
            throw new IllegalStateException("the properties of a Secret Service item are damaged", damaged);
        }
        Map<String, String> attributes = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(ATTRIBUTE)) {
                attributes.put(name.substring(ATTRIBUTE.length()), properties.getProperty(name));
            }
        }
        return new ItemMeta(attributes, properties.getProperty("label", ""),
                properties.getProperty("content.type", "text/plain"),
                "base64".equals(properties.getProperty("encoding")),
                Long.parseLong(properties.getProperty("created", "0")),
                Long.parseLong(properties.getProperty("modified", "0")));
    }
}
