package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.coffer.test.Processes;

/** The built distribution, driven as a user drives it: bin/coffer one-shot commands and the shell under tmux. */
public class DistributionIT {

    private Path home;
    private Path dataHome;

    @Before
    public void copyDistribution() throws IOException {
        Path built = Path.of(System.getProperty("coffer.distribution", "../distribution/target/coffer"));
        assertTrue("the distribution is built at " + built, Files.isExecutable(built.resolve("bin/coffer")));
        Path work = Files.createDirectories(Path.of(System.getProperty("coffer.work", "target/work")));
        home = Files.createTempDirectory(work, "coffer-home");
        dataHome = Files.createTempDirectory(work, "xdg-data");
        try (Stream<Path> files = Files.walk(built)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(built.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.startsWith(built.resolve("data"))) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @After
    public void removeCopy() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Processes.Result coffer(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/coffer").toString()));
        command.addAll(List.of(args));
        return run(command, stdin);
    }

    private static final String MASTER = "master password";

    /** Emptied, so that a desktop's Secret Service does not outrank the keyring files these tests expect. */
    private static final String NO_BUS = "DBUS_SESSION_BUS_ADDRESS";

    /** Commands run with the keyring password in the environment, as a script would. */
    private Processes.Result run(List<String> command, String stdin) {
        return Processes.run(command, Map.of("XDG_DATA_HOME", dataHome.toString(), "COFFER_KEYRING_PASSWORD", MASTER, NO_BUS, ""),
                stdin);
    }

    private Processes.Result cofferWithoutPassword(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/coffer").toString()));
        command.addAll(List.of(args));
        return Processes.run(command, Map.of("XDG_DATA_HOME", dataHome.toString(), NO_BUS, ""), stdin);
    }

    @Test
    public void oneShotCommandsWorkLikePythonsKeyringCommandLine() throws IOException {
        Processes.Result set = coffer("pässword with spaces\n", "keyring:set", "my service", "bob o'neil $HOME");
        assertEquals(set.stderr, 0, set.exit);
        assertEquals("", set.stdout);
        Processes.Result get = coffer(null, "keyring:get", "my service", "bob o'neil $HOME");
        assertEquals(get.stderr, 0, get.exit);
        assertEquals("pässword with spaces\n", get.stdout);
        Path file = dataHome.resolve("python_keyring/cryptfile_pass.cfg");
        assertTrue(Files.readString(file).contains("[my_20service]\nbob_20o_27neil_20_24home = \n"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Processes.Result missing = coffer(null, "keyring:get", "my service", "nobody");
        assertEquals(1, missing.exit);
        assertEquals("", missing.stdout);

        assertEquals(0, coffer(null, "keyring:delete", "my service", "bob o'neil $HOME").exit);
        assertEquals(1, coffer(null, "keyring:get", "my service", "bob o'neil $HOME").exit);
        assertEquals(1, coffer(null, "keyring:delete", "my service", "bob o'neil $HOME").exit);
    }

    @Test
    public void listsBackendsWithoutAShellBanner() {
        Processes.Result backends = coffer(null, "keyring:backends");
        assertEquals(backends.stderr, 0, backends.exit);
        assertTrue(backends.stdout, backends.stdout.startsWith("  NAME"));
        assertTrue(backends.stdout, backends.stdout.contains("* cryptfile          250"));
        assertTrue(backends.stdout, backends.stdout.contains("  encryptedfile       60"));
        assertTrue(backends.stdout, backends.stdout.contains("  plaintext           50"));
        assertFalse(backends.stdout, backends.stdout.contains("Gogo"));
        Processes.Result json = coffer(null, "keyring:backends", "--all", "--json");
        assertTrue(json.stdout, json.stdout.startsWith("[{\"name\": \"cryptfile\""));
    }

    @Test
    public void migratesFromThePlaintextFileIntoTheEncryptedOne() throws IOException {
        assertEquals(0, coffer(null, "keyring:use", "plaintext").exit);
        assertEquals(0, coffer("old secret\n", "keyring:set", "legacy", "carol").exit);
        assertEquals(0, coffer(null, "keyring:use", "--auto").exit);
        Processes.Result moved = coffer(null, "keyring:migrate", "--delete", "plaintext", "cryptfile");
        assertEquals(moved.stderr, 0, moved.exit);
        assertTrue(moved.stdout, moved.stdout.contains("Moved 1 entries from 'plaintext' to 'cryptfile', every copy verified"));
        assertFalse(Files.readString(dataHome.resolve("python_keyring/keyring_pass.cfg")).contains("carol"));
        assertEquals("old secret\n", coffer(null, "keyring:get", "legacy", "carol").stdout);
    }

    @Test
    public void keepsThePinAcrossRestarts() {
        assertEquals(0, coffer(null, "keyring:use", "plaintext").exit);
        assertTrue(coffer(null, "keyring:diagnose").stdout.contains("pinned backend: plaintext"));
        assertEquals(0, coffer(null, "keyring:use", "--auto").exit);
        assertTrue(coffer(null, "keyring:diagnose").stdout.contains("pinned backend: none"));
        Processes.Result unknown = coffer(null, "keyring:use", "nope");
        assertEquals(2, unknown.exit);
        assertTrue(unknown.stderr, unknown.stderr.contains("No keyring backend is named 'nope'"));
    }

    @Test
    public void aLockedKeyringSaysHowToUnlockAndAServiceUnlocksFromStandardInput() throws Exception {
        assertEquals(0, coffer("value\n", "keyring:set", "svc", "alice").exit);
        Processes.Result locked = cofferWithoutPassword(null, "keyring:get", "svc", "alice");
        assertEquals(1, locked.exit);
        assertTrue(locked.stderr, locked.stderr.contains("is locked") && locked.stderr.contains("keyring:unlock"));

        // echo $PASSWORD | bin/coffer run, as Resilient Circuits is started
        ProcessBuilder service = new ProcessBuilder(home.resolve("bin/coffer").toString(), "run");
        service.environment().put("XDG_DATA_HOME", dataHome.toString());
        service.environment().put(NO_BUS, "");
        Process process = service.start();
        try (var in = process.getOutputStream()) {
            in.write((MASTER + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<String> messages = awaitLine(process.getErrorStream(), "running");
        assertTrue(messages.toString(), messages.contains("Unlocked cryptfile"));
        process.destroy();
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));

        ProcessBuilder wrong = new ProcessBuilder(home.resolve("bin/coffer").toString(), "run");
        wrong.environment().put("XDG_DATA_HOME", dataHome.toString());
        wrong.environment().put(NO_BUS, "");
        Process refused = wrong.start();
        try (var in = refused.getOutputStream()) {
            in.write("not the password\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue(refused.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, refused.exitValue());
        assertTrue(new String(refused.getErrorStream().readAllBytes()).contains("Incorrect password"));
    }

    @Test
    public void resKeyringSetsTheSecretsOfAnAppConfigFromStandardInput() throws IOException {
        Path appConfig = home.resolve("app.config");
        Files.writeString(appConfig, "[resilient]\nhost = example.com\napi_key_secret=^resilient_secret\n\n"
                + "[fn_mail]\nsmtp_password = ^{smtp}\nuser = ${USER}\n");
        Processes.Result first = run(List.of(home.resolve("bin/res-keyring").toString(), appConfig.toString()),
                "topsecret\ntopsecret\nmail1\nmail2\nmail1\nmail1\n");
        assertEquals(first.stderr, 0, first.exit);
        assertEquals(String.join("\n",
                "Configuration file: " + appConfig,
                "Secrets are stored with 'cryptfile'",
                "[resilient] resilient_secret: <not set>",
                "  Enter new value (or <ENTER> to leave unchanged):",
                "  Confirm new value:",
                "Value set.",
                "[fn_mail] smtp: <not set>",
                "  Enter new value (or <ENTER> to leave unchanged):",
                "  Confirm new value:",
                "Values do not match, try again.",
                "  Enter new value (or <ENTER> to leave unchanged):",
                "  Confirm new value:",
                "Value set.",
                "Done.", ""), first.stdout);
        assertEquals("topsecret\n", coffer(null, "keyring:get", "_", "resilient_secret").stdout);
        assertEquals("mail1\n", coffer(null, "keyring:get", "fn_mail", "smtp").stdout);

        Processes.Result again = run(List.of(home.resolve("bin/res-keyring").toString(), appConfig.toString()), "\n\n");
        assertTrue(again.stdout, again.stdout.contains("[resilient] resilient_secret: ^resilient_secret\n"));
        assertFalse(again.stdout, again.stdout.contains("topsecret"));

        Files.writeString(appConfig, "[resilient]\nhost = example.com\n");
        assertTrue(run(List.of(home.resolve("bin/res-keyring").toString(), appConfig.toString()), "").stdout
                .endsWith("Nothing to do.\n"));
        Processes.Result broken = run(List.of(home.resolve("bin/res-keyring").toString(), home.resolve("nope.config").toString()), "");
        assertEquals(1, broken.exit);
        assertTrue(broken.stderr, broken.stderr.contains("does not exist"));
    }

    @Test
    public void resKeyringPromptsWithoutEchoOnATerminal() throws Exception {
        requireTmux();
        Path appConfig = home.resolve("app.config");
        Files.writeString(appConfig, "[resilient]\napi_key_secret=^resilient_secret\n");
        List<String> tmux = List.of("tmux", "-S", home.resolve("tmux.sock").toString());
        String session = "reskeyring";
        List<String> start = new ArrayList<>(tmux);
        start.addAll(List.of("new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                "env DBUS_SESSION_BUS_ADDRESS= XDG_DATA_HOME=" + dataHome + " COFFER_KEYRING_PASSWORD='" + MASTER + "' APP_CONFIG_FILE=" + appConfig
                + " " + home.resolve("bin/res-keyring") + "; sleep 30"));
        assertEquals(0, run(start, null).exit);
        try {
            awaitScreen(tmux, session, "Enter new value (or <ENTER> to leave unchanged):");
            type(tmux, session, "typed-secret");
            awaitScreen(tmux, session, "Confirm new value:");
            type(tmux, session, "typed-secret");
            awaitScreen(tmux, session, "Done.");
            List<String> capture = new ArrayList<>(tmux);
            capture.addAll(List.of("capture-pane", "-p", "-t", session));
            String screen = run(capture, null).stdout;
            assertTrue(screen, screen.contains("Configuration file: " + appConfig));
            assertTrue(screen, screen.contains("[resilient] resilient_secret: <not set>"));
            assertTrue(screen, screen.contains("Value set."));
            assertFalse("the value is not echoed:\n" + screen, screen.contains("typed-secret"));
        } finally {
            List<String> kill = new ArrayList<>(tmux);
            kill.add("kill-server");
            run(kill, null);
        }
        assertEquals("typed-secret\n", coffer(null, "keyring:get", "_", "resilient_secret").stdout);
    }

    @Test
    public void aSecondInstanceWithTheSameAppConfigIsRefused() throws Exception {
        Path appConfig = home.resolve("app.config");
        Files.writeString(appConfig, "[resilient]\nhost = example.com\n");
        Path lock = home.resolve("circuits.lock");
        ProcessBuilder first = new ProcessBuilder(home.resolve("bin/coffer").toString(), "run");
        first.environment().putAll(Map.of("XDG_DATA_HOME", dataHome.toString(), "COFFER_KEYRING_PASSWORD", MASTER,
                "APP_CONFIG_FILE", appConfig.toString(), "APP_LOCK_FILE", lock.toString(), NO_BUS, ""));
        Process running = first.start();
        running.getOutputStream().close();
        try {
            awaitLine(running.getErrorStream(), "running");
            Processes.Result second = Processes.run(List.of(home.resolve("bin/coffer").toString(), "run"),
                    Map.of("XDG_DATA_HOME", dataHome.toString(), "APP_CONFIG_FILE", appConfig.toString(),
                            "APP_LOCK_FILE", lock.toString(), NO_BUS, ""), "");
            assertEquals(1, second.exit);
            assertTrue(second.stderr, second.stderr.contains("another instance may be running"));
        } finally {
            running.destroy();
            running.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    public void saysWhatToInstallWithoutBackends() throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("deploy"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.delete(jar);
            }
        }
        Processes.Result get = coffer(null, "keyring:get", "s", "u");
        assertEquals(1, get.exit);
        assertTrue(get.stderr, get.stderr.contains("No keyring backend is available"));
    }

    @Test
    public void swapsBackendsLiveWhenAJarLeavesOrEntersDeploy() throws Exception {
        requireTmux();
        String session = "coffer-it-" + ProcessHandle.current().pid();
        Path socket = home.resolve("tmux.sock");
        List<String> tmuxCommand = List.of("tmux", "-S", socket.toString());
        List<String> start = new ArrayList<>(tmuxCommand);
        start.addAll(List.of("new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                "env DBUS_SESSION_BUS_ADDRESS= XDG_DATA_HOME=" + dataHome + " COFFER_KEYRING_PASSWORD='" + MASTER + "' " + home.resolve("bin/coffer")));
        assertEquals(0, run(start, null).exit);
        try {
            awaitScreen(tmuxCommand, session, "g!");
            type(tmuxCommand, session, "keyring:backends");
            awaitScreen(tmuxCommand, session, "* cryptfile");
            type(tmuxCommand, session, "clear");
            Path jar;
            try (Stream<Path> jars = Files.list(home.resolve("deploy"))) {
                jar = jars.filter(p -> p.getFileName().toString().contains("cryptfile")).findFirst().orElseThrow();
            }
            Path aside = home.resolve(jar.getFileName());
            Files.move(jar, aside);
            expect(tmuxCommand, session, "keyring:backends", "* encryptedfile");
            Files.move(aside, jar);
            expect(tmuxCommand, session, "keyring:backends", "* cryptfile");
        } finally {
            List<String> kill = new ArrayList<>(tmuxCommand);
            kill.addAll(List.of("kill-server"));
            run(kill, null);
        }
    }

    /** The lines a process writes until one contains the text; fails after a minute instead of hanging. */
    private static List<String> awaitLine(java.io.InputStream stream, String text) throws Exception {
        java.util.concurrent.CompletableFuture<List<String>> lines = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            List<String> seen = new ArrayList<>();
            try {
                java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(stream));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    seen.add(line);
                    if (line.contains(text)) {
                        return seen;
                    }
                }
            } catch (IOException e) {
                seen.add(e.toString());
            }
            throw new AssertionError("'" + text + "' never came; the process wrote " + seen);
        });
        return lines.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void requireTmux() {
        boolean tmux = Files.isExecutable(Path.of("/usr/bin/tmux"));
        if (!tmux && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("tmux is missing (apt-get install tmux); CI=true: this test must not be skipped");
        }
        assumeTrue("*** tmux is missing: skipping a terminal test ***", tmux);
    }

    /** Types a command until its output shows the text: FileInstall notices a change within its poll interval. */
    private void expect(List<String> tmux, String session, String command, String text) throws InterruptedException {
        AssertionError last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            type(tmux, session, "clear");
            type(tmux, session, command);
            try {
                awaitScreen(tmux, session, text, 20);
                return;
            } catch (AssertionError notYet) {
                last = notYet;
            }
        }
        throw last;
    }

    private void type(List<String> tmux, String session, String line) {
        List<String> keys = new ArrayList<>(tmux);
        keys.addAll(List.of("send-keys", "-t", session, line, "Enter"));
        assertEquals(0, run(keys, null).exit);
    }

    private void awaitScreen(List<String> tmux, String session, String text) throws InterruptedException {
        awaitScreen(tmux, session, text, 150);
    }

    private void awaitScreen(List<String> tmux, String session, String text, int polls) throws InterruptedException {
        List<String> capture = new ArrayList<>(tmux);
        capture.addAll(List.of("capture-pane", "-p", "-t", session));
        String screen = "";
        for (int i = 0; i < polls; i++) {
            screen = run(capture, null).stdout;
            if (screen.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' did not appear on the screen:\n" + screen);
    }
}
