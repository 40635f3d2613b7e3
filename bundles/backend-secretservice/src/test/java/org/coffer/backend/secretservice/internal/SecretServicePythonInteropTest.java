package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.TransportCipher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coffer, Python's keyring and secret-tool on one gnome-keyring: each sees what the others store. */
class SecretServicePythonInteropTest {

    static final String SECRET_TOOL = "/usr/bin/secret-tool";
    static final String PYTHON_KEYRING = "import sys, keyring\n"
            + "k = keyring.get_keyring()\n"
            + "assert type(k).__module__ == 'keyring.backends.SecretService', type(k)\n";

    @TempDir
    static Path dir;

    static SecretServiceDaemon daemon;

    SecretServiceBackend coffer;

    @BeforeAll
    static void startDaemon() throws Exception {
        Peers.require(SecretServiceDaemon.installed(), SecretServiceDaemon.PACKAGES);
        Peers.requirePython("python3-keyring python3-secretstorage", "keyring", "secretstorage");
        Peers.require(java.nio.file.Files.isExecutable(Path.of(SECRET_TOOL)), SECRET_TOOL + " (apt-get install libsecret-tools)");
        daemon = SecretServiceDaemon.start(dir.resolve("bus"), "interop password");
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @BeforeEach
    void connect() {
        coffer = new SecretServiceBackend(daemon.address(), TransportCipher.DH_AES, SecretServiceBackend.PYTHON_APPLICATION,
                "default", "COFFER_SECRETSERVICE_PASSWORD", Map.of(), Duration.ofSeconds(5), "secretservice");
    }

    static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(daemon.environment());
        env.put("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring");
        return env;
    }

    static String python(String script, String... args) {
        return Peers.python(env(), null, PYTHON_KEYRING + script, args);
    }

    static Optional<String> pythonGet(String service, String user) {
        String out = python("v = keyring.get_password(sys.argv[1], sys.argv[2])\n"
                + "sys.stdout.write('NONE' if v is None else 'VALUE:' + v)\n", service, user);
        return out.equals("NONE") ? Optional.empty() : Optional.of(out.substring("VALUE:".length()));
    }

    static Processes.Result secretTool(String stdin, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(SECRET_TOOL));
        command.addAll(List.of(args));
        return Peers.run(command, daemon.environment(), stdin);
    }

    @Test
    void pythonAndSecretToolReadWhatCofferStores() {
        String secret = "pässwörd 🔑 with spaces";
        coffer.set("interop.example.com", "Alice", Secret.of(secret));
        assertThat(pythonGet("interop.example.com", "Alice")).contains(secret);
        Processes.Result lookup = secretTool(null, "lookup", "service", "interop.example.com", "username", "Alice");
        assertThat(lookup.exit).isZero();
        assertThat(lookup.stdout).isEqualTo(secret);
    }

    @Test
    void writesItemsExactlyAsPythonDoes() {
        coffer.set("layout svc", "bob", Secret.of("x"));
        String item = python("import secretstorage\n"
                + "c = secretstorage.get_default_collection(secretstorage.dbus_init())\n"
                + "i = list(c.search_items({'service': 'layout svc', 'username': 'bob'}))\n"
                + "assert len(i) == 1, i\n"
                + "a = i[0].get_attributes()\n"
                // gnome-keyring may annotate any item with its own xdg:schema; Coffer's attributes are the rest
                + "a = {k: v for k, v in a.items() if not k.startswith('xdg:')}\n"
                + "print(i[0].get_label()); print(sorted(a.items())); print(i[0].get_secret_content_type())\n");
        assertThat(item.split("\n")).containsExactly("Password for 'bob' on 'layout svc'",
                "[('application', 'Python keyring library'), ('service', 'layout svc'), ('username', 'bob')]",
                "text/plain");
    }

    @Test
    void cofferReadsWhatPythonAndSecretToolStore() {
        python("keyring.set_password(sys.argv[1], sys.argv[2], sys.argv[3])\n", "py svc", "carol", "from python ✓");
        assertThat(coffer.get("py svc", "carol").map(Secret::reveal)).contains("from python ✓");
        Processes.Result stored = secretTool("from secret-tool", "store", "--label=by secret-tool",
                "service", "tool svc", "username", "dave");
        assertThat(stored.exit).as(stored.stderr).isZero();
        assertThat(coffer.get("tool svc", "dave").map(Secret::reveal)).contains("from secret-tool");
        coffer.set("tool svc", "dave", Secret.of("replaced by coffer"));
        assertThat(pythonGet("tool svc", "dave")).contains("replaced by coffer");
        assertThat(secretTool(null, "lookup", "service", "tool svc", "username", "dave").stdout)
                .isEqualTo("replaced by coffer");
        assertThat(coffer.entries()).extracting(Object::toString).contains("py svc/carol", "tool svc/dave");
    }

    @Test
    void deletesEitherWay() {
        coffer.set("del svc", "erin", Secret.of("one"));
        python("keyring.delete_password(sys.argv[1], sys.argv[2])\n", "del svc", "erin");
        assertThat(coffer.get("del svc", "erin")).isEmpty();
        python("keyring.set_password(sys.argv[1], sys.argv[2], sys.argv[3])\n", "del svc", "erin", "two");
        assertThat(coffer.delete("del svc", "erin")).isTrue();
        assertThat(pythonGet("del svc", "erin")).isEmpty();
        assertThat(secretTool(null, "lookup", "service", "del svc", "username", "erin").exit).isNotZero();
    }

    @Test
    void repeatedReadsSeeChangesAndDeletionsByOtherTools() {
        coffer.set("cache svc", "frank", Secret.of("first"));
        assertThat(coffer.get("cache svc", "frank").map(Secret::reveal)).contains("first");
        python("keyring.set_password(sys.argv[1], sys.argv[2], sys.argv[3])\n", "cache svc", "frank", "second");
        assertThat(coffer.get("cache svc", "frank").map(Secret::reveal)).contains("second");
        secretTool("third", "store", "--label=by secret-tool", "service", "cache svc", "username", "frank");
        assertThat(coffer.get("cache svc", "frank").map(Secret::reveal)).contains("third");
        python("keyring.delete_password(sys.argv[1], sys.argv[2])\n", "cache svc", "frank");
        assertThat(coffer.get("cache svc", "frank")).isEmpty();
    }
}
