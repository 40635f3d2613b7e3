package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coffer.test.Processes;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * An install owned by root and read-only, used by two other users through
 * {@code runuser}: each has their own state and pin, and nothing is written into the
 * install. Needs root, as CI has.
 */
public class SharedInstallIT {

    private static final List<String> USERS = List.of("coffer-it-a", "coffer-it-b");
    private Path root;
    private Path install;

    @Before
    public void readOnlyInstall() throws Exception {
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        Distribution.require(isRoot && Files.isExecutable(Path.of("/usr/sbin/runuser")), "root with runuser");
        for (String user : USERS) {
            if (Processes.run(List.of("id", user), Map.of(), null).exit != 0) {
                assertEquals(0, Processes.run(List.of("useradd", "-M", "-s", "/bin/sh", user), Map.of(), null).exit);
            }
        }
        root = Files.createTempDirectory(Path.of("/tmp"), "coffer-shared");
        install = root.resolve("coffer");
        Distribution.copy(Path.of(System.getProperty("coffer.distribution", "../distribution/target/coffer")), install);
        assertEquals(0, Processes.run(List.of("chmod", "-R", "a+rX,a-w", install.toString()), Map.of(), null).exit);
        assertEquals(0, Processes.run(List.of("chmod", "755", root.toString()), Map.of(), null).exit);
        for (String user : USERS) {
            Path home = Files.createDirectories(root.resolve(user));
            assertEquals(0, Processes.run(List.of("chown", user, home.toString()), Map.of(), null).exit);
        }
    }

    @After
    public void remove() throws Exception {
        if (root != null) {
            Processes.run(List.of("chmod", "-R", "u+w", root.toString()), Map.of(), null);
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Processes.Result as(String user, String stdin, String... args) {
        return Processes.run(command(user, args), Map.of(), stdin);
    }

    /** {@code bin/coffer ARGS} as the user, with only the variables a login gives, and a runtime folder all share. */
    private List<String> command(String user, String... args) {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "-i",
                "PATH=" + System.getenv("PATH"), "HOME=" + root.resolve(user), "COFFER_KEYRING_PASSWORD=pw",
                "COFFER_NO_AUTOSTART=1", "XDG_RUNTIME_DIR=" + root.resolve("run"), install.resolve("bin/coffer").toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    public void anotherUsersAgentIsNeitherUsedNorAnswersThem() throws Exception {
        Files.createDirectories(root.resolve("run"));
        assertEquals(0, Processes.run(List.of("chmod", "1777", root.resolve("run").toString()), Map.of(), null).exit);
        String owner = USERS.get(0);
        String stranger = USERS.get(1);
        assertEquals(0, as(owner, "owners-secret\n", "keyring:set", "svc", "u").exit);
        assertEquals(0, as(stranger, "strangers-secret\n", "keyring:set", "svc", "u").exit);
        Process agent = new ProcessBuilder(command(owner, "run")).start();
        try {
            agent.getOutputStream().write("pw\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            agent.getOutputStream().close();
            Distribution.awaitLine(agent.getErrorStream(), "running");
            // the stranger's own command, in the same runtime folder, answers from the stranger's keyring
            Processes.Result own = as(stranger, null, "keyring:get", "svc", "u");
            assertEquals(own.stderr, "strangers-secret\n", own.stdout);
            // opened up by root, the socket still serves the stranger nothing: the agent checks the peer's uid
            Path folder = root.resolve("run/coffer");
            Path socket;
            try (Stream<Path> files = Files.list(folder)) {
                socket = files.filter(p -> p.toString().endsWith(".sock")).findFirst().orElseThrow();
            }
            assertEquals(0, Processes.run(List.of("chmod", "711", folder.toString()), Map.of(), null).exit);
            assertEquals(0, Processes.run(List.of("chmod", "666", socket.toString()), Map.of(), null).exit);
            String script = "import socket, struct, sys\n"
                    + "def s(t): b = t.encode(); return struct.pack('>i', len(b)) + b\n"
                    + "request = struct.pack('>ib', 0x43465231, 1) + struct.pack('>i', 3) + s('keyring:get') + s('svc')"
                    + " + s('u') + struct.pack('>i', 0) + s('/') + b'\\0' + s('')\n"
                    + "c = socket.socket(socket.AF_UNIX)\nc.connect(sys.argv[1])\n"
                    + "try:\n    c.sendall(request)\nexcept OSError:\n    pass\n"
                    + "try:\n    answer = c.recv(65536)\nexcept ConnectionResetError:\n    answer = b''\n"
                    + "print(repr(answer))\n";
            Processes.Result raw = Processes.run(List.of("runuser", "-u", stranger, "--", "/usr/bin/python3", "-c", script,
                    socket.toString()), Map.of(), null);
            assertEquals(raw.stderr, "b''\n", raw.stdout);
            // the clients use a folder only while it is private again
            assertEquals(0, Processes.run(List.of("chmod", "700", folder.toString()), Map.of(), null).exit);
            assertEquals(0, as(owner, null, "agent", "status").exit);
        } finally {
            as(owner, null, "agent", "stop");
            agent.destroy();
            agent.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    public void twoUsersShareARootOwnedReadOnlyInstallWithTheirOwnPins() throws Exception {
        long before;
        try (Stream<Path> files = Files.walk(install)) {
            before = files.count();
        }
        Processes.Result pin = as(USERS.get(0), null, "keyring:use", "plaintext");
        assertEquals(pin.stderr, 0, pin.exit);
        assertEquals(0, as(USERS.get(0), "a-secret\n", "keyring:set", "svc", "u").exit);
        assertEquals(0, as(USERS.get(1), "b-secret\n", "keyring:set", "svc", "u").exit);
        assertEquals("a-secret\n", as(USERS.get(0), null, "keyring:get", "svc", "u").stdout);
        assertEquals("b-secret\n", as(USERS.get(1), null, "keyring:get", "svc", "u").stdout);
        assertTrue(as(USERS.get(0), null, "keyring:diagnose").stdout.contains("pinned backend: plaintext"));
        assertTrue(as(USERS.get(1), null, "keyring:diagnose").stdout.contains("pinned backend: none"));
        assertTrue(Files.exists(root.resolve(USERS.get(0)).resolve(".local/share/python_keyring/keyring_pass.cfg")));
        assertTrue(Files.exists(root.resolve(USERS.get(1)).resolve(".local/share/python_keyring/cryptfile_pass.cfg")));
        assertTrue(Files.isDirectory(root.resolve(USERS.get(1)).resolve(".local/state/coffer/cache")));
        try (Stream<Path> files = Files.walk(install)) {
            assertEquals("nothing is written into the install", before, files.count());
        }
    }
}
