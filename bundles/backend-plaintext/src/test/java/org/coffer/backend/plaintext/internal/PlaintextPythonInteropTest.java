package org.coffer.backend.plaintext.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coffer.Secret;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Coffer and the real Python keyrings.alt (Debian's python3-keyrings.alt) share keyring_pass.cfg. */
class PlaintextPythonInteropTest {

    private static final String BACKEND = "keyrings.alt.file.PlaintextKeyring";

    @TempDir
    Path dataHome;

    @BeforeAll
    static void needsPython() {
        Peers.requirePython("python3-keyring python3-keyrings.alt", "keyring", "keyrings.alt.file");
    }

    static List<String[]> entries() {
        return List.of(
                new String[] {"example.com", "alice", "s3cr3t"},
                new String[] {"Zürich service: [prod] #1", "jörg o'neil@example.com", "pässwörd 🔑 = ; # \"q\" \\"},
                new String[] {"spaces in service", "Mixed Case User", "  leading and trailing  "},
                new String[] {"long", "u", "x".repeat(300)});
    }

    private Map<String, String> env() {
        return Map.of("XDG_DATA_HOME", dataHome.toString(), "PYTHON_KEYRING_BACKEND", BACKEND);
    }

    private PlaintextBackend coffer() {
        return new PlaintextBackend(dataHome.resolve("python_keyring/keyring_pass.cfg"));
    }

    @ParameterizedTest
    @MethodSource("entries")
    void readsWhatPythonWrote(String service, String user, String secret) {
        Peers.python(env(), null, "import keyring, sys; keyring.set_password(sys.argv[1], sys.argv[2], sys.argv[3])",
                service, user, secret);
        assertThat(coffer().get(service, user).map(Secret::reveal)).contains(secret);
        assertThat(coffer().entries()).anySatisfy(e -> assertThat(e.service()).isEqualTo(service));
    }

    @ParameterizedTest
    @MethodSource("entries")
    void writesWhatPythonReads(String service, String user, String secret) {
        coffer().set("other", "someone", Secret.of("kept"));
        coffer().set(service, user, Secret.of(secret));
        String read = Peers.python(env(), null,
                "import keyring, sys; sys.stdout.buffer.write(keyring.get_password(sys.argv[1], sys.argv[2]).encode())",
                service, user);
        assertThat(read).isEqualTo(secret);
        Processes.Result cli = Peers.run(List.of(Peers.PYTHON.toString(), "-m", "keyring", "get", "other", "someone"), env(), null);
        assertThat(cli.stdout).isEqualTo("kept\n");
    }

    @ParameterizedTest
    @MethodSource("entries")
    void deletesEitherWay(String service, String user, String secret) {
        coffer().set(service, user, Secret.of(secret));
        Peers.python(env(), null, "import keyring, sys; keyring.delete_password(sys.argv[1], sys.argv[2])", service, user);
        assertThat(coffer().get(service, user)).isEmpty();
        Peers.python(env(), null, "import keyring, sys; keyring.set_password(sys.argv[1], sys.argv[2], sys.argv[3])",
                service, user, secret);
        assertThat(coffer().delete(service, user)).isTrue();
        String read = Peers.python(env(), null,
                "import keyring, sys; print(keyring.get_password(sys.argv[1], sys.argv[2]))", service, user);
        assertThat(read).isEqualTo("None\n");
    }

    @ParameterizedTest
    @MethodSource("entries")
    void pythonsCommandLineSetsThroughStandardInput(String service, String user, String secret) {
        Processes.Result set = Peers.run(List.of(Peers.PYTHON.toString(), "-m", "keyring", "set", service, user), env(),
                secret + "\n");
        assertThat(set.exit).as(set.stderr).isZero();
        assertThat(coffer().get(service, user).map(Secret::reveal)).contains(secret);
    }
}
