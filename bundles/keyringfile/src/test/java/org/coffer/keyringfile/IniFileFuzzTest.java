package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coffer.ConfigFormatException;
import org.coffer.files.IniFile;

/**
 * Any bytes as a keyring file: parsed, or refused with a {@link ConfigFormatException};
 * a parsed file renders to text that parses to the same sections and options, and its
 * values decode as base64 or are refused with an {@link IllegalArgumentException}.
 */
class IniFileFuzzTest {

    private static final Path FILE = Path.of("keyring_pass.cfg");

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] bytes) {
        IniFile ini;
        try {
            ini = IniFile.parse(FILE, text(bytes));
        } catch (ConfigFormatException refused) {
            return;
        }
        assertThat(content(IniFile.parse(FILE, ini.render()))).isEqualTo(content(ini));
        ini.options(IniFile.DEFAULT_SECTION).values().forEach(IniFileFuzzTest::decode);
        ini.sections().forEach(section -> ini.options(section).values().forEach(IniFileFuzzTest::decode));
    }

    /** The text as the store reads it; bytes that are not UTF-8 still make text for the parser. */
    private static String text(byte[] bytes) {
        try {
            return IniFile.text(FILE, bytes);
        } catch (ConfigFormatException notUtf8) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static void decode(String value) {
        byte[] payload;
        try {
            payload = KeyringValue.decode(value);
        } catch (IllegalArgumentException notBase64) {
            return;
        }
        assertThat(KeyringValue.decode(KeyringValue.encode(payload))).isEqualTo(payload);
    }

    /** The defaults, then each section's name and options, all in file order. */
    private static List<Object> content(IniFile ini) {
        List<Object> content = new ArrayList<>();
        content.add(List.copyOf(ini.options(IniFile.DEFAULT_SECTION).entrySet()));
        for (String section : ini.sections()) {
            content.add(section);
            content.add(List.copyOf(ini.options(section).entrySet()));
        }
        return content;
    }
}
