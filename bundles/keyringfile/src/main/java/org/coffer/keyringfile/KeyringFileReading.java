package org.coffer.keyringfile;

import java.nio.file.Path;
import org.coffer.ConfigFormatException;
import org.coffer.files.IniFile;

/**
 * One reading of a keyring file's bytes: the parsed file, or why it is torn, or why it
 * cannot be parsed. Torn means: it ends without a newline in a value that is empty, it
 * ends in a value the backend cannot decode (cut base64 or JSON), or it ends in a cut
 * line. A file that ends without a newline after a whole value is whole: people write
 * files so by hand.
 */
final class KeyringFileReading {

    final IniFile ini;
    final String torn;
    final RuntimeException failure;

    private KeyringFileReading(IniFile ini, String torn, RuntimeException failure) {
        this.ini = ini;
        this.torn = torn;
        this.failure = failure;
    }

    static KeyringFileReading torn(String reason) {
        return new KeyringFileReading(null, reason, null);
    }

    boolean whole() {
        return ini != null;
    }

    static KeyringFileReading of(Path file, byte[] bytes, KeyringValueCheck values) {
        boolean endsInNewline = bytes.length > 0 && (bytes[bytes.length - 1] == '\n' || bytes[bytes.length - 1] == '\r');
        IniFile ini;
        try {
            ini = IniFile.parse(file, IniFile.text(file, bytes));
        } catch (ConfigFormatException e) {
            if (bytes.length > 0 && !endsInNewline && e.line() > 0) {
                return torn("line " + e.line() + ", its last, ends without a newline and is cut ("
                        + expected(e) + ")");
            }
            return new KeyringFileReading(null, null, e);
        }
        String reason = ini.endsInValueOf().map(tail -> {
            String section = tail.get(0);
            String option = tail.get(1);
            String value = ini.options(section).get(option);
            String entry = "'" + KeyringEscape.unescape(option) + "' in '" + KeyringEscape.unescape(section) + "'";
            if ((value == null || value.isEmpty()) && !endsInNewline) {
                return "it ends without a newline in the value of " + entry + ", which is empty";
            }
            String cut = values.whyNotWhole(section, option, value == null ? "" : value);
            return cut == null ? null : "it ends in the value of " + entry + ", which is cut (" + cut + ")";
        }).orElse(null);
        return reason == null ? new KeyringFileReading(ini, null, null) : torn(reason);
    }

    private static String expected(ConfigFormatException e) {
        String message = e.getMessage();
        int colon = message.indexOf(": ", message.indexOf(", line "));
        return colon < 0 ? message : message.substring(colon + 2);
    }
}
