package org.coffer.keyringfile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coffer.ConfigFormatException;
import org.coffer.files.IniFile;

/**
 * What {@link KeyringFileStore#repair} did: where it kept the damaged file, how many
 * entries it kept, and which it left out because their values could not be read.
 *
 * @since 4.1
 */
public final class KeyringFileRepair {

    private final Path file;
    private final Path copy;
    private final int kept;
    private final List<String> leftOut;

    KeyringFileRepair(Path file, Path copy, int kept, List<String> leftOut) {
        this.file = file;
        this.copy = copy;
        this.kept = kept;
        this.leftOut = List.copyOf(leftOut);
    }

    /** @return the copy of the damaged file, or {@code null} when the file was whole and left as it was */
    public Path copy() {
        return copy;
    }

    /** @return how many entries the rebuilt file holds */
    public int kept() {
        return kept;
    }

    /** @return the entries left out, each as {@code 'username' in 'service' (why)} */
    public List<String> leftOut() {
        return leftOut;
    }

    /** @return what was done, for the user: names entries, never values */
    @Override
    public String toString() {
        if (copy == null) {
            return file + " is whole; it was left as it was";
        }
        return "Kept the damaged file as " + copy + " and rebuilt " + file + " from the " + kept
                + (kept == 1 ? " entry" : " entries") + " that could be read"
                + (leftOut.isEmpty() ? "" : "; left out " + String.join(", ", leftOut));
    }

    /**
     * What can be read of a damaged file: its lines up to a last line that is cut, and
     * every entry whose value is whole. A value that is empty at the end of a file cut
     * without a newline is left out too.
     *
     * @param leftOut receives the entries left out
     * @return the readable part, to write anew
     * @throws ConfigFormatException if even that cannot be parsed; nothing is rebuilt then
     */
    static IniFile salvage(Path file, byte[] bytes, KeyringValueCheck values, List<String> leftOut) {
        String text = IniFile.text(file, bytes);
        boolean cut = !text.isEmpty() && !text.endsWith("\n") && !text.endsWith("\r");
        IniFile ini;
        try {
            ini = IniFile.parse(file, text);
        } catch (ConfigFormatException e) {
            int lastLine = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
            if (!cut || lastLine < 0) {
                throw e;
            }
            leftOut.add("line " + e.line() + " (cut)");
            ini = IniFile.parse(file, text.substring(0, lastLine + 1));
            cut = false;
        }
        List<List<String>> drop = new ArrayList<>();
        for (String section : ini.sections()) {
            for (Map.Entry<String, String> option : ini.options(section).entrySet()) {
                String value = option.getValue();
                String why = values.whyNotWhole(section, option.getKey(), value);
                if (why == null && value.isEmpty() && cut
                        && ini.endsInValueOf().equals(java.util.Optional.of(List.of(section, option.getKey())))) {
                    why = "empty where the file was cut";
                }
                if (why != null) {
                    drop.add(List.of(section, option.getKey()));
                    leftOut.add("'" + KeyringEscape.unescape(option.getKey()) + "' in '"
                            + KeyringEscape.unescape(section) + "' (" + why + ")");
                }
            }
        }
        for (List<String> entry : drop) {
            ini.remove(entry.get(0), entry.get(1));
        }
        return ini;
    }

    static byte[] render(IniFile ini) {
        return ini.render().getBytes(StandardCharsets.UTF_8);
    }
}
