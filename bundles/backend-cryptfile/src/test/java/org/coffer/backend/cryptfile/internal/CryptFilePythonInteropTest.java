package org.coffer.backend.cryptfile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coffer.Secret;
import org.coffer.test.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files Coffer writes, read by an independent Python reader built on Debian's
 * python3-argon2 and python3-pycryptodome; files that reader writes, read by Coffer.
 */
class CryptFilePythonInteropTest {

    @TempDir
    Path dir;

    static Path script;

    @BeforeAll
    static void needsPython(@TempDir Path scripts) throws Exception {
        Peers.requirePython("python3-argon2 python3-pycryptodome", "argon2", "Cryptodome.Cipher.AES");
        script = scripts.resolve("cryptfile_peer.py");
        try (InputStream in = CryptFilePythonInteropTest.class.getResourceAsStream("/cryptfile_peer.py")) {
            Files.copy(in, script);
        }
    }

    private String peer(String... args) {
        return Peers.python(Map.of(), null, "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                prepend(script.toString(), args));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void pythonReadsWhatCofferWrote() {
        Path file = dir.resolve("cryptfile_pass.cfg");
        CryptFileBackend coffer = new CryptFileBackend(file, Map.of("COFFER_KEYRING_PASSWORD", "pässwörd"), "", "");
        String longSecret = "ß".repeat(200);
        coffer.set("Zürich service", "Mixed Case User", Secret.of("pw 🔑 with \"quotes\""));
        coffer.set("svc", "long", Secret.of(longSecret));
        assertThat(peer("check", file.toString(), "pässwörd")).isEqualTo("ok\n");
        assertThat(peer("read", file.toString(), "pässwörd", "Zürich service", "Mixed Case User"))
                .isEqualTo("pw 🔑 with \"quotes\"");
        assertThat(peer("read", file.toString(), "pässwörd", "svc", "long")).isEqualTo(longSecret);
    }

    @Test
    void cofferReadsWhatPythonWrote() {
        Path file = dir.resolve("cryptfile_pass.cfg");
        peer("write", file.toString(), "pw", "web site", "Alice Smith", "s3cr3t ü");
        peer("write", file.toString(), "pw", "other", "bob", "second");
        CryptFileBackend coffer = new CryptFileBackend(file, Map.of("KEYRING_CRYPTFILE_PASSWORD", "pw"), "", "");
        assertThat(coffer.get("web site", "Alice Smith").map(Secret::reveal)).contains("s3cr3t ü");
        assertThat(coffer.get("other", "bob").map(Secret::reveal)).contains("second");
        coffer.set("other", "carol", Secret.of("third"));
        assertThat(peer("read", file.toString(), "pw", "web site", "Alice Smith")).isEqualTo("s3cr3t ü");
        assertThat(peer("read", file.toString(), "pw", "other", "carol")).isEqualTo("third");
    }

    @Test
    void twoProcessesWritingAtOnceLoseNothing() throws Exception {
        Path file = dir.resolve("cryptfile_pass.cfg");
        new CryptFileBackend(file, Map.of("COFFER_KEYRING_PASSWORD", "pw"), "", "").set("init", "u", Secret.of("x"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConcurrentWriter.class.getName(), file.toString());
        Process first = new ProcessBuilder(command).redirectErrorStream(true).start();
        Process second = new ProcessBuilder(command).redirectErrorStream(true).start();
        String firstOut = new String(first.getInputStream().readAllBytes());
        String secondOut = new String(second.getInputStream().readAllBytes());
        assertThat(first.waitFor()).as(firstOut).isZero();
        assertThat(second.waitFor()).as(secondOut).isZero();
        CryptFileBackend reader = new CryptFileBackend(file, Map.of("COFFER_KEYRING_PASSWORD", "pw"), "", "");
        assertThat(reader.entries()).hasSize(1 + 2 * ConcurrentWriter.COUNT);
        assertThat(peer("check", file.toString(), "pw")).isEqualTo("ok\n");
    }
}
