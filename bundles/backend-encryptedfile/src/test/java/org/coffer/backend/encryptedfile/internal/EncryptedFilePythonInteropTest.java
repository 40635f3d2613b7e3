package org.coffer.backend.encryptedfile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coffer.Secret;
import org.coffer.test.Peers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Coffer and the real keyrings.alt EncryptedKeyring (Debian's python3-keyrings.alt) share crypted_pass.cfg. */
class EncryptedFilePythonInteropTest {

    /** Python's keyring, its password prompts answered by the test. */
    private static final String PYTHON = String.join("\n",
            "import sys, getpass",
            "from keyrings.alt.file import EncryptedKeyring",
            "getpass.getpass = lambda prompt='': sys.argv[2]",
            "k = EncryptedKeyring()",
            "k.file_path = sys.argv[1]",
            "if sys.argv[3] == 'set':",
            "    k.set_password(sys.argv[4], sys.argv[5], sys.argv[6])",
            "else:",
            "    sys.stdout.buffer.write(str(k.get_password(sys.argv[4], sys.argv[5])).encode('utf-8'))");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPython() {
        Peers.requirePython("python3-keyrings.alt python3-pycryptodome", "keyrings.alt.file", "Cryptodome.Cipher.AES");
    }

    static List<String[]> entries() {
        return List.of(
                new String[] {"example.com", "alice", "s3cr3t"},
                new String[] {"Zürich service: [prod]", "Jörg O'Neil", "pässwörd 🔑 = ; #"},
                new String[] {"long", "u", "x".repeat(300)});
    }

    private String python(Path file, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = file.toString();
        all[1] = "pässwörd";
        System.arraycopy(args, 0, all, 2, args.length);
        return Peers.python(Map.of(), null, PYTHON, all);
    }

    @ParameterizedTest
    @MethodSource("entries")
    void readsWhatPythonWrote(String service, String user, String secret) {
        Path file = dir.resolve("crypted_pass.cfg");
        python(file, "set", service, user, secret);
        EncryptedFileBackend coffer = new EncryptedFileBackend(file, Map.of("COFFER_KEYRING_PASSWORD", "pässwörd"), "", "");
        assertThat(coffer.isLocked()).isFalse();
        assertThat(coffer.get(service, user).map(Secret::reveal)).contains(secret);
    }

    @ParameterizedTest
    @MethodSource("entries")
    void writesWhatPythonReads(String service, String user, String secret) {
        Path file = dir.resolve("crypted_pass.cfg");
        EncryptedFileBackend coffer = new EncryptedFileBackend(file, Map.of("COFFER_KEYRING_PASSWORD", "pässwörd"), "", "");
        coffer.set(service, user, Secret.of(secret));
        assertThat(python(file, "get", service, user)).isEqualTo(secret);
    }
}
