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
        return Base64.getMimeDecoder().decode(value.getBytes(StandardCharsets.US_ASCII));
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
