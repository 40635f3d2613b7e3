package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/**
 * The distribution against another process of the same user: the files it makes are
 * the user's only, its JVM takes no attach, the service script leaves no password in
 * any environment, and a canary secret shows up nowhere but where it was asked for.
 */
public class HardeningIT {

    private static final String CANARY = "Canary-7d1e9f-not-for-anyone";
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Rule
    public final Distribution dist = new Distribution();

    @Test
    public void aCanarySecretIsFoundOnlyWhereItWasAskedForAndEveryFileIsPrivate() throws Exception {
        List<String> outputs = new ArrayList<>();
        record(outputs, dist.coffer(CANARY + "\n", "keyring:set", "canary", "bird"));
        Path appConfig = Files.createDirectories(dist.configHome.resolve("app")).resolve("app.config");
        Files.writeString(appConfig, "[resilient]\nhost = example.com\npassword = " + CANARY + "\napi_key = ^canary\n");
        Files.writeString(dist.home.resolve("etc/org.coffer.appconfig.cfg"), "file = " + appConfig + "\n");
        Process agent = dist.startAgent(Map.of());
        long deadline = System.currentTimeMillis() + 30_000;
        while (!published(dist.state.resolve("config"))) {
            assertTrue("the app.config section reached ConfigAdmin's store", System.currentTimeMillis() < deadline);
            Thread.sleep(100);
        }
        record(outputs, dist.coffer(null, "keyring:backends", "--all"));
        record(outputs, dist.coffer(null, "keyring:diagnose"));
        record(outputs, dist.coffer(null, "keyring:migrate", "cryptfile", "plaintext"));
        record(outputs, dist.coffer(CANARY + "\n", "keyring:set", "canary", "again"));
        record(outputs, dist.coffer(null, "keyring:delete", "canary", "again"));
        assertEquals(CANARY, dist.coffer(null, "keyring:get", "canary", "bird").stdout.strip());
        agent.destroy();
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        record(outputs, dist.coffer(null, "keyring:backends"));

        for (String output : outputs) {
            assertTrue("a command's output holds the canary: " + output.length() + " characters", !output.contains(CANARY));
        }
        // app.config is the user's own file: the one place the literal may stay
        List<Path> roots = List.of(dist.state, dist.dataHome, dist.home, dist.runtime);
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) < 64 << 20
                            && !file.toString().endsWith(".jar") && !file.toString().endsWith(".jsa")) {
                        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                        assertTrue(file + " holds the canary", !text.contains(CANARY));
                    }
                }
            }
        }
        for (Path root : List.of(dist.state, dist.dataHome.resolve("python_keyring"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Set<PosixFilePermission> open = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                    open.retainAll(GROUP_OR_OTHER);
                    assertTrue(file + " is open to others: " + open, open.isEmpty() || Files.isSymbolicLink(file));
                }
            }
        }
    }

    /** @return whether ConfigAdmin stored the app.config section */
    private static boolean published(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.anyMatch(f -> f.getFileName().toString().equals("resilient.config"));
        }
    }

    private static void record(List<String> outputs, Processes.Result result) {
        outputs.add(result.stdout);
        outputs.add(result.stderr);
    }

    @Test
    public void theServiceScriptLeavesNoPasswordInAnyEnvironmentAndTheJvmTakesNoAttach() throws Exception {
        assertEquals(0, dist.coffer("value\n", "keyring:set", "svc", "alice").exit);
        ProcessBuilder builder = new ProcessBuilder(dist.home.resolve("bin/coffer-service").toString());
        builder.environment().putAll(dist.env());
        builder.environment().put("KEYRING_PASSWORD", Distribution.MASTER);
        Process service = builder.start();
        try {
            List<String> messages = Distribution.awaitLine(service.getErrorStream(), "running");
            assertTrue(messages.toString(), messages.contains("Unlocked cryptfile"));
            // the service script and every process it started (other tests' processes may hold the password)
            List<Long> holders = new ArrayList<>();
            List<ProcessHandle> tree = new ArrayList<>(List.of(service.toHandle()));
            service.toHandle().descendants().forEach(tree::add);
            for (ProcessHandle process : tree) {
                try {
                    Path environ = Path.of("/proc", Long.toString(process.pid()), "environ");
                    if (new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).contains(Distribution.MASTER)) {
                        holders.add(process.pid());
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
            assertEquals("processes with the keyring password in their environment", List.of(), holders);

            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Processes.Result attach = Processes.run(List.of(jcmd.toString(), Long.toString(service.pid()), "VM.version"),
                    Map.of(), null);
            assertNotEquals("jcmd attached to Coffer: " + attach.stdout, 0, attach.exit);
        } finally {
            service.destroy();
            assertTrue(service.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
