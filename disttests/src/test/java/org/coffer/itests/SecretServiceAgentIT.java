package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.test.Peers;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@code bin/coffer --secret-service run}: the agent owns {@code org.freedesktop.secrets}
 * on the session bus, and Python's keyring, with no change, reads and writes what
 * {@code bin/coffer} reads and writes; where another program owns the name, the agent
 * says which and serves commands only.
 */
public class SecretServiceAgentIT {

    private static final String READ = "import keyring, sys; print(keyring.get_password(sys.argv[1], sys.argv[2]))";
    private static final String WRITE = "import keyring, sys; keyring.set_password(sys.argv[1], sys.argv[2], sys.argv[3])";

    @Rule
    public final Distribution dist = new Distribution();

    private Process agent(Map<String, String> bus, List<String> said) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(dist.command("--secret-service", "run"));
        builder.environment().putAll(dist.env());
        builder.environment().putAll(bus);
        Process agent = builder.start();
        try (var in = agent.getOutputStream()) {
            in.write((Distribution.MASTER + "\n").getBytes(StandardCharsets.UTF_8));
        }
        said.addAll(Distribution.awaitLine(agent.getErrorStream(), "coffer: running"));
        return agent;
    }

    private static Map<String, String> python(SecretServiceDaemon daemon) {
        Map<String, String> env = new HashMap<>(Map.of("DBUS_SESSION_BUS_ADDRESS", daemon.address(),
                "PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring"));
        env.put("HOME", daemon.environment().get("HOME"));
        return env;
    }

    /**
     * The install's D-Bus service file, with this test's folders: the bus starts
     * {@code --secret-service run} when Python first asks; then Python over the bus and
     * {@code bin/coffer} read what the other wrote. Then gnome-keyring takes the name, and an
     * explicit {@code --secret-service run} names it and serves commands only.
     */
    @Test
    public void theBusStartsCoffersAgentAndPythonAndBinCofferShareItsKeyringsUnlessGnomeKeyringOwnsTheName()
            throws Exception {
        Distribution.require(SecretServiceDaemon.installed() && Files.isExecutable(Peers.PYTHON),
                SecretServiceDaemon.PACKAGES + ", and Python's keyring with secretstorage");
        Path dir = dist.home.getParent();
        // plaintext: the agent the bus starts reads no password from its /dev/null
        assertEquals(0, dist.coffer(null, "keyring:use", "plaintext").exit);
        assertEquals(0, dist.coffer("activated\n", "keyring:set", "svc", "frank").exit);
        Path services = Files.createDirectories(dir.resolve("services"));
        StringBuilder env = new StringBuilder("/usr/bin/env");
        dist.env().forEach((name, value) -> {
            if (!name.equals(Distribution.NO_BUS) && !name.equals(Distribution.NO_AUTOSTART)) {
                env.append(' ').append(name).append('=').append(value);
            }
        });
        String template = Files.readString(dist.home.resolve("etc/dbus/org.freedesktop.secrets.service"));
        assertTrue(template, template.contains("Exec=/opt/coffer/bin/coffer --secret-service run"));
        Files.writeString(services.resolve("org.freedesktop.secrets.service"),
                template.replace("Exec=/opt/coffer/", "Exec=" + env + " " + dist.home + "/"));
        try (SecretServiceDaemon daemon = SecretServiceDaemon.startBus(dir.resolve("bus"), services)) {
            assertEquals("activated\n", Peers.python(python(daemon), null, READ, "svc", "frank"));
            assertTrue(dist.agentPid(dist.env()) > 0);
            Peers.python(python(daemon), null, WRITE, "svc", "bob", "from python");
            assertEquals("from python\n", dist.coffer(null, "keyring:get", "svc", "bob").stdout);
            assertEquals(0, dist.coffer("from coffer\n", "keyring:set", "svc", "alice").exit);
            assertEquals("from coffer\n", Peers.python(python(daemon), null, READ, "svc", "alice"));

            // with gnome-keyring owning the name, an explicit run names it and serves commands only
            assertEquals(0, dist.coffer(null, "agent", "stop").exit);
            daemon.startKeyring("login password");
            List<String> said = new java.util.ArrayList<>();
            Process agent = agent(Map.of("DBUS_SESSION_BUS_ADDRESS", daemon.address()), said);
            try {
                assertTrue(said.toString(), said.stream().anyMatch(line -> line.contains(
                        "org.freedesktop.secrets is owned by /usr/bin/gnome-keyring-daemon")));
                assertTrue(said.toString(), said.stream().anyMatch(line -> line.contains(
                        "the Secret Service is not served")));
                assertEquals("from python\n", dist.coffer(null, "keyring:get", "svc", "bob").stdout);
            } finally {
                agent.destroy();
                agent.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
