package org.coffer.backend.keyctl.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.coffer.KeyringEntry;

/**
 * The description of a Coffer key: {@code coffer:} + service + {@code :} + username,
 * with {@code %}, {@code :} and control characters percent-encoded (UTF-8), so that
 * {@code keyctl request user 'coffer:svc:bob' @u} finds an entry and {@code keyctl add
 * user 'coffer:svc:bob' VALUE @u} makes one.
 */
public final class KeyDescription {

    static final String PREFIX = "coffer:";

    private KeyDescription() {
    }

    public static String of(String service, String username) {
        return PREFIX + encode(service) + ":" + encode(username);
    }

    /** @return the entry a description names, if it is a Coffer key */
    static Optional<KeyringEntry> parse(String description) {
        if (!description.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = description.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KeyringEntry(decode(rest.substring(0, colon)), decode(rest.substring(colon + 1))));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == ':' || c < 0x20 || c == 0x7f) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%') {
                if (i + 2 >= utf8.length) {
                    throw new IllegalArgumentException("a % without two hex digits");
                }
                bytes.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                bytes.write(utf8[i]);
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }
}
