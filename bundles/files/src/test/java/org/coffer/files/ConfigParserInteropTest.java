package org.coffer.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.coffer.test.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same files read by Python's configparser and by {@link IniFile} give the same values. */
class ConfigParserInteropTest {

    private static final String DUMP = String.join("\n",
            "import configparser, sys",
            "c = configparser.RawConfigParser()",
            "c.read(sys.argv[1], encoding='utf-8')",
            "for s in c.sections():",
            "    for o in c.options(s):",
            "        print(s.encode().hex(), o.encode().hex(), c.get(s, o).encode().hex())",
            "c2 = configparser.RawConfigParser()",
            "c2.read_string(open(sys.argv[1], encoding='utf-8').read())",
            "sys.stdout.write('--\\n')",
            "import io",
            "b = io.StringIO(); c.write(b); sys.stdout.write(b.getvalue().encode().hex() + '\\n')");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPython() {
        Peers.requirePython("python3", "configparser");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[s]\nkey = value\n",
        "[s]\nKey: value with = and : inside\n",
        "# c\n; c\n[s]\n  indented = 1\nk = \n\tcont1\n\n\tcont2\n\t\n\n[t]\nx=\n",
        "[DEFAULT]\nd = 1\n[s]\nk = v\n[t]\n",
        "[a b]\nk = v # not a comment\n[c]d\nq = r\n",
        "[s]\r\nk = v\r\n\tmore\r\n",
        "[ünï]\nkéy = välue 🔑\n",
        "[s]\nk = v\n# comment inside\n\tafter comment\n",
    })
    void readsWhatPythonReads(String text) throws Exception {
        Path file = dir.resolve("f.cfg");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        String[] parts = Peers.python(Map.of(), null, DUMP, file.toString()).split("--\n");
        List<String> python = new ArrayList<>(parts[0].lines().toList());
        IniFile ini = IniFile.parse(file, text);
        List<String> ours = new ArrayList<>();
        for (String section : ini.sections()) {
            Map<String, String> options = new java.util.LinkedHashMap<>(ini.options(IniFile.DEFAULT_SECTION));
            options.putAll(ini.options(section));
            ini.options(section).keySet().forEach(options::remove);
            List<String> names = new ArrayList<>(ini.options(section).keySet());
            names.addAll(options.keySet());
            for (String option : names) {
                ours.add(hex(section) + " " + hex(option) + " " + hex(ini.get(section, option).orElseThrow()));
            }
        }
        assertThat(ours).containsExactlyElementsOf(python);
        String pythonWritten = new String(HexFormat.of().parseHex(parts[1].strip()), StandardCharsets.UTF_8);
        assertThat(ini.render()).isEqualTo(pythonWritten);
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
