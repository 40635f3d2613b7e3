package org.coffer.backend.plaintext.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.Secret;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged keyring files: every read and write fails with the file and the reason, a
 * damaged value is never decoded into another secret, and the file stays as it was.
 * Where Python's keyrings.alt reads the same bytes, it fails too.
 */
class DamagedPlaintextFileTest {

    @TempDir
    Path dataHome;

    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        file = dataHome.resolve("python_keyring/keyring_pass.cfg");
        Files.createDirectories(file.getParent());
    }

    static List<Object[]> damaged() {
        byte[] longLine = ("[svc]\n" + "x".repeat(10 << 20) + "\n").getBytes(StandardCharsets.US_ASCII);
        return List.of(
                new Object[] {"a value cut in its padding", bytes("[svc]\nu = \n\tcz"), "incorrect padding"},
                new Object[] {"a value with a character outside base64", bytes("[svc]\nu = \n\tczM*\n"), "base64"},
                new Object[] {"a value that is not UTF-8", bytes("[svc]\nu = \n\t//79\n"), "not UTF-8"},
                new Object[] {"a 10 MB line", longLine, "line 2"},
                new Object[] {"bytes that are not UTF-8", new byte[] {'[', 's', 'v', 'c', ']', '\n', 'u', ' ', '=', ' ',
                    (byte) 0xff, (byte) 0xfe, '\n'}, "UTF-8"},
                new Object[] {"NUL bytes", bytes("[svc]\nu = \n\tczM=\n\0\0\0\0\n"), "line 4"},
                new Object[] {"a truncated section header", bytes("[svc]\nu = \n\tczM=\n[oth"), "line 4"});
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void aDamagedFileIsAnErrorNamingTheFileAndWhyAndStaysAsItWas(String what, byte[] content, String why)
            throws Exception {
        Files.write(file, content);
        PlaintextBackend backend = new PlaintextBackend(file);
        assertThatThrownBy(() -> backend.get("svc", "u")).as(what).isInstanceOf(BackendException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(why);
        if (!what.startsWith("a value")) {
            assertThatThrownBy(() -> backend.set("svc", "u", Secret.of("new"))).isInstanceOf(BackendException.class)
                    .hasMessageContaining(file.toString());
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void pythonRefusesTheDamagedValueToo() throws Exception {
        Peers.requirePython("python3-keyring python3-keyrings.alt", "keyring", "keyrings.alt.file");
        Files.writeString(file, "[svc]\nu = \n\tcz");
        Processes.Result python = Peers.run(List.of(Peers.PYTHON.toString(), "-m", "keyring", "get", "svc", "u"),
                Map.of("XDG_DATA_HOME", dataHome.toString(),
                    "PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring"), null);
        assertThat(python.exit).isNotZero();
        assertThat(python.stderr).contains("Incorrect padding");
        assertThatThrownBy(() -> new PlaintextBackend(file).get("svc", "u")).hasMessageContaining("incorrect padding");
    }

    @Test
    void aFolderWhereTheFileShouldBeIsSaidSo() throws Exception {
        Files.createDirectories(file);
        PlaintextBackend backend = new PlaintextBackend(file);
        assertThatThrownBy(() -> backend.get("svc", "u")).isInstanceOf(BackendException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("a folder");
        assertThatThrownBy(() -> backend.set("svc", "u", Secret.of("v"))).isInstanceOf(BackendException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("a folder");
    }

    @Test
    void aWriteThatCannotHappenSaysWhy() throws Exception {
        Path notAFolder = dataHome.resolve("plain-file");
        Files.writeString(notAFolder, "");
        Path inside = notAFolder.resolve("keyring_pass.cfg");
        assertThatThrownBy(() -> new PlaintextBackend(inside).set("svc", "u", Secret.of("v")))
                .isInstanceOf(BackendException.class).hasMessageContaining(notAFolder.toString())
                .hasMessageContaining("not a folder");
    }

    @Test
    void aFileLargerThanTheConfiguredLimitIsRefusedAndLeftAsItIs() throws Exception {
        byte[] content = ("[svc]\nu = \n\t" + "QUJD".repeat(300_000) + "\n").getBytes(StandardCharsets.US_ASCII);
        Files.write(file, content);
        PlaintextConfig config = org.osgi.util.converter.Converters.standardConverter()
                .convert(Map.of("file", file.toString(), "max.file.size.mib", "1")).to(PlaintextConfig.class);
        PlaintextBackend limited = new PlaintextBackend(config);
        assertThatThrownBy(() -> limited.get("svc", "u")).isInstanceOf(BackendException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("larger than 1 MiB")
                .hasMessageContaining("max.file.size.mib");
        assertThatThrownBy(() -> limited.set("svc", "v", Secret.of("x"))).isInstanceOf(BackendException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(new PlaintextBackend(file).get("svc", "u")).isPresent();
    }
}
