package org.coffer.keyringfile;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How keyrings.alt stores a payload as an INI value: a newline, then
 * {@code base64.encodebytes(payload)} (76-character lines, each ending in a newline),
 * which configparser writes as indented continuation lines.
 */
public final class KeyringValue {

    private KeyringValue() {
    }

    /**
     * @param payload the bytes to store
     * @return the INI value
     */
    public static String encode(byte[] payload) {
        String base64 = mimeBase64(payload);
        return base64.isEmpty() ? "\n" : "\n" + base64 + "\n";
    }

    /**
     * @param value the INI value, as configparser returns it
     * @return the payload
     * @throws IllegalArgumentException if the value is not base64
     */
    public static byte[] decode(String value) {
        return strictBase64(value);
    }

    /**
     * Decodes base64 as strictly as Python's {@code binascii.a2b_base64} in strict mode,
     * apart from line breaks and blanks, which Python's {@code encodebytes} puts there:
     * only the base64 alphabet, the length a multiple of four, padding only at the end.
     * A damaged value is an error, never different bytes.
     *
     * @param text base64, possibly broken into lines
     * @return the bytes
     * @throws IllegalArgumentException if the text is not such base64; the message names
     *         what is wrong, never the text
     */
    public static byte[] strictBase64(String text) {
        StringBuilder compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
                continue;
            }
            boolean alphabet = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '+' || c == '/' || c == '=';
            if (!alphabet) {
                throw new IllegalArgumentException("not base64: a character outside the base64 alphabet at offset "
                        + i);
            }
            compact.append(c);
        }
        if (compact.length() % 4 != 0) {
            throw new IllegalArgumentException("not base64: incorrect padding (" + compact.length()
                    + " characters, not a multiple of 4)");
        }
        int padding = compact.indexOf("=");
        if (padding >= 0 && padding < compact.length() - 2) {
            throw new IllegalArgumentException("not base64: padding before the end");
        }
        try {
            return Base64.getDecoder().decode(compact.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: " + e.getMessage());
        }
    }

    /**
     * Base64 with a newline after every 76 characters and none at the end, as Python's
     * {@code encodebytes(x)[:-1]}.
     *
     * @param bytes the bytes
     * @return the text
     */
    public static String mimeBase64(byte[] bytes) {
        return Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(bytes);
    }
}
