package org.coffer.format.ini.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.coffer.ConfigDocument;
import org.coffer.ConfigFormatException;
import org.coffer.ConfigValue;
import org.coffer.SecretReference;
import org.coffer.test.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppConfigFormatTest {

    /** What Resilient's Python sees: configparser without interpolation, the BOM skipped. */
    private static final String PYTHON = String.join("\n",
            "import configparser, sys",
            "c = configparser.ConfigParser(interpolation=None)",
            "c.read(sys.argv[1], encoding='utf-8-sig')",
            "for s in c.sections():",
            "    for o in c.options(s):",
            "        print(s.encode().hex(), o.encode().hex(), c.get(s, o).encode().hex())");

    @TempDir
    Path dir;

    private final AppConfigFormat format = new AppConfigFormat();

    private ConfigDocument read(String text) throws Exception {
        Path file = dir.resolve("app.config");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return format.read(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[resilient]\nhost = example.com\napi_key_secret=^resilient_secret\n",
        "\uFEFF[resilient]\nHost: example.com\n",
        "[DEFAULT]\nlevel = info\n[fn_a]\nurl = ${BASE}/api\n# comment\n; other\n[fn_b]\nlong = first\n  second\n\n  third\n",
        "[s]\nk = %(not)s interpolated 100%\nempty =\n",
    })
    void readsWhatPythonsConfigParserReads(String text) throws Exception {
        Peers.requirePython("python3", "configparser");
        ConfigDocument document = read(text);
        List<String> ours = new ArrayList<>();
        for (String section : document.sections()) {
            document.options(section).forEach((option, value) -> ours.add(hex(section) + " " + hex(option) + " " + hex(value.raw())));
        }
        List<String> python = Peers.python(Map.of(), null, PYTHON, dir.resolve("app.config").toString()).lines().toList();
        assertThat(ours).containsExactlyInAnyOrderElementsOf(python);
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsKeyringAndEnvironmentReferences() throws Exception {
        ConfigDocument document = read("[resilient]\napi_key_secret = ^resilient_secret\nuser = $RES_USER\n"
                + "[fn_mail]\nsmtp = ^{smtp pass}\nurl = https://${HOST}:${PORT}/^{token}\nplain = a^b$c\n");
        assertThat(refs(document.options("resilient").get("api_key_secret"))).containsExactly("keyring:_/resilient_secret");
        assertThat(refs(document.options("resilient").get("user"))).containsExactly("env:RES_USER");
        assertThat(refs(document.options("fn_mail").get("smtp"))).containsExactly("keyring:fn_mail/smtp pass");
        assertThat(refs(document.options("fn_mail").get("url")))
                .containsExactly("env:HOST", "env:PORT", "keyring:fn_mail/token");
        assertThat(refs(document.options("fn_mail").get("plain"))).isEmpty();
        ConfigValue url = document.options("fn_mail").get("url");
        SecretReference port = url.references().get(1);
        assertThat(url.raw().substring(port.start(), port.end())).isEqualTo("${PORT}");
        assertThat(url.line()).isEqualTo(6);
    }

    private static List<String> refs(ConfigValue value) {
        return value.references().stream().map(SecretReference::toString).toList();
    }

    @Test
    void namesFileAndLineOfAMalformedFile() throws Exception {
        assertThatThrownBy(() -> read("[resilient]\nhost = x\nthis is not an option\n"))
                .isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("app.config, line 3")
                .hasMessageContaining("expected 'name = value'");
        assertThatThrownBy(() -> read("host = x\n")).isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("line 1").hasMessageContaining("section header");
        assertThatThrownBy(() -> format.read(dir.resolve("missing.config"))).isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void acceptsConfigFiles() {
        assertThat(format.accepts(Path.of("/x/app.config"))).isTrue();
        assertThat(format.accepts(Path.of("/x/credentials.xml"))).isFalse();
    }
}
