package org.coffer.backend.eclipse.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.coffer.KeyringEntry;
import org.coffer.backend.eclipse.storage.SecureStorage;

/**
 * Coffer's entries in a secure storage file: an EGit node {@code /GIT/<URI with
 * slashes encoded>} holding {@code user} (clear) and {@code password} (encrypted) is
 * the entry (the URI, the user), as EGit means it; any other encrypted value is the entry
 * (its node path, its key). Values in clear are no secrets, and Equinox's own nodes
 * (password checks, recovery answers) are no entries.
 */
final class EclipseEntries {

    static final String EGIT_NODE = "/GIT/";

    private EclipseEntries() {
    }

    /**
     * @param storage a read of the file
     * @return every entry with the encrypted value it stands for, in the file's order
     */
    static Map<KeyringEntry, SecureStorage.Value> of(SecureStorage storage) {
        Map<KeyringEntry, SecureStorage.Value> entries = new LinkedHashMap<>();
        for (SecureStorage.Value value : storage.values()) {
            if (!value.encrypted() || value.node().equals(SecureStorage.INTERNAL_NODE)
                    || value.node().startsWith(SecureStorage.INTERNAL_NODE + "/")) {
                continue;
            }
            entries.put(entryOf(storage, value), value);
        }
        return entries;
    }

    private static KeyringEntry entryOf(SecureStorage storage, SecureStorage.Value value) {
        if (value.node().startsWith(EGIT_NODE) && value.key().equals("password")) {
            String user = storage.clear(value.node(), "user");
            if (user != null && !user.isEmpty()) {
                return new KeyringEntry(decodeSlashes(value.node().substring(EGIT_NODE.length())), user);
            }
        }
        return new KeyringEntry(value.node(), value.key());
    }

    /** As Equinox's {@code EncodingUtils.decodeSlashes}: {@code \2f} is a slash, {@code \5c} a backslash. */
    static String decodeSlashes(String encoded) {
        StringBuilder decoded = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '\\' && i + 2 < encoded.length()) {
                String code = encoded.substring(i + 1, i + 3);
                if (code.equals("2f")) {
                    decoded.append('/');
                    i += 2;
                    continue;
                }
                if (code.equals("5c")) {
                    decoded.append('\\');
                    i += 2;
                    continue;
                }
            }
            decoded.append(c);
        }
        return decoded.toString();
    }
}
