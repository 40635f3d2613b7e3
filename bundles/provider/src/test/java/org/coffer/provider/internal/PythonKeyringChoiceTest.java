package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonKeyringChoiceTest {

    @TempDir
    Path config;

    @Test
    void theVariableWinsOverKeyringrc() throws Exception {
        write("[backend]\ndefault-keyring = keyrings.cryptfile.cryptfile.CryptFileKeyring\n");
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString(),
                "PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        assertThat(PythonKeyringChoice.of(env)).contains("plaintext");
        assertThat(PythonKeyringChoice.of(Map.of("XDG_CONFIG_HOME", config.toString()))).contains("cryptfile");
    }

    @Test
    void otherSectionsUnknownBackendsAndNoFileChooseNothing() throws Exception {
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString());
        assertThat(PythonKeyringChoice.of(env)).isEmpty();
        write("[other]\ndefault-keyring = keyrings.alt.file.PlaintextKeyring\n[backend]\nkeyring-path = /x\n");
        assertThat(PythonKeyringChoice.of(env)).isEmpty();
        write("[backend]\ndefault-keyring = keyring.backends.chainer.ChainerBackend\n");
        assertThat(PythonKeyringChoice.of(env)).isEmpty();
    }

    private void write(String text) throws Exception {
        Files.createDirectories(config.resolve("python_keyring"));
        Files.writeString(config.resolve("python_keyring/keyringrc.cfg"), text);
    }
}
