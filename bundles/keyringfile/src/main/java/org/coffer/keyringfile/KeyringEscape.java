package org.coffer.keyringfile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The escaping keyrings.alt applies to services and usernames before they become INI
 * section and option names: every UTF-8 byte that is not an ASCII letter or digit
 * becomes {@code _XX} (upper-case hex).
 */
public final class KeyringEscape {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private KeyringEscape() {
    }

    /**
     * @param value a service or username
     * @return the escaped name
     */
    public static String escape(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append((char) c);
            } else {
                out.append('_').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Reverses {@link #escape}, accepting lower-case hex as configparser leaves it in
     * option names.
     *
     * @param escaped an escaped name
     * @return the original text
     */
    public static String unescape(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(escaped.length());
        int i = 0;
        while (i < escaped.length()) {
            char c = escaped.charAt(i);
            if (c == '_' && i + 2 < escaped.length() && isHex(escaped.charAt(i + 1)) && isHex(escaped.charAt(i + 2))) {
                out.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i++;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
