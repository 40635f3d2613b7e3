package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/** The user's agent, per-user state and the command line, through the built distribution's bin/coffer. */
public class AgentIT {

    @Rule
    public final Distribution dist = new Distribution();

    @Test
    public void sixteenOneShotsAtOnceWithoutAnAgentAllAnswerRight() throws Exception {
        // the framework caches, locks and state of sixteen processes at once: on the plaintext
        // keyring, so that sixteen Argon2id runs do not stand in for them on two cores
        assertEquals(0, dist.coffer(null, "keyring:use", "plaintext").exit);
        assertEquals(0, dist.coffer("v\n", "keyring:set", "svc", "bob").exit);
        List<Processes.Result> results = parallel(16, 16, i -> dist.coffer(null, "keyring:get", "svc", "bob"));
        for (Processes.Result result : results) {
            assertEquals(result.stderr, 0, result.exit);
            assertEquals("v\n", result.stdout);
        }
    }

    @Test
    public void aHundredGetsTenAtATimeThroughTheAgent() throws Exception {
        assertEquals(0, dist.coffer("v\n", "keyring:set", "svc", "bob").exit);
        dist.startAgent(Map.of());
        Processes.Result status = dist.coffer(null, "agent", "status");
        assertEquals(status.stderr, 0, status.exit);
        assertTrue(status.stdout, status.stdout.startsWith("running, pid "));
        for (int round = 0; round < 2; round++) {
            // a value set through the agent is seen by the next get, in and out of the agent
            assertEquals(0, dist.coffer("v" + round + "\n", "keyring:set", "svc", "bob").exit);
            String expected = "v" + round + "\n";
            for (Processes.Result result : parallel(50, 10, i -> dist.coffer(null, "keyring:get", "svc", "bob"))) {
                assertEquals(result.stderr, 0, result.exit);
                assertEquals(expected, result.stdout);
            }
        }
        assertEquals(0, dist.coffer(null, "agent", "stop").exit);
        assertEquals(3, dist.coffer(null, "agent", "status").exit);
    }

    /** A secret typed at the client's terminal crosses to the agent without echo, prompted as in-process. */
    @Test
    public void theAgentsPromptsAreAnsweredAtTheClientsTerminalWithoutEcho() throws Exception {
        Distribution.requireTmux();
        dist.startAgent(Map.of());
        Distribution.Tmux tmux = dist.new Tmux("agentprompt", dist.shellEnv() + " "
                + dist.home.resolve("bin/coffer") + " keyring:set svc typed; echo exit=$?; sleep 30");
        try {
            tmux.await("Password for 'typed' in 'svc':");
            tmux.type("typed at the terminal");
            tmux.await("Repeat the password:");
            tmux.type("typed at the terminal");
            tmux.await("exit=0");
            String screen = tmux.screen();
            assertFalse("the value is not echoed:\n" + screen, screen.contains("typed at the terminal"));
        } finally {
            tmux.kill();
        }
        assertEquals("typed at the terminal\n", dist.coffer(null, "keyring:get", "svc", "typed").stdout);
        String audit = dist.coffer(null, "keyring:audit").stdout;
        assertTrue("the agent itself wrote the entry:\n" + audit, audit.contains("typed"));
        assertEquals(0, dist.coffer(null, "agent", "stop").exit);
    }

    @Test
    public void aCommandThroughTheAgentStartsNoJvm() throws Exception {
        Distribution.require(Files.isExecutable(dist.home.resolve("lib/coffer-agent-client")),
                "a C compiler for the agent's native client (apt-get install gcc libc6-dev)");
        assertEquals(0, dist.coffer("v\n", "keyring:set", "svc", "bob").exit);
        dist.startAgent(Map.of());
        // with no java to be found, only the native client can answer
        Map<String, String> noJava = new java.util.HashMap<>(dist.env());
        noJava.put("JAVA_HOME", dist.home.resolve("no-such-jdk").toString());
        Processes.Result viaAgent = Processes.run(dist.command("keyring:get", "svc", "bob"), noJava, null);
        assertEquals(viaAgent.stderr, 0, viaAgent.exit);
        assertEquals("v\n", viaAgent.stdout);
        Processes.Result missing = Processes.run(dist.command("keyring:get", "svc", "nobody"), noJava, null);
        assertEquals(1, missing.exit);
        assertTrue(missing.stderr, missing.stderr.contains("no password for 'nobody' in 'svc'"));
        // a variable that chooses another keyring: the agent declines, and the Java client, which
        // takes over, is not to be found (the shell's 127)
        noJava.put("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        assertEquals(127, Processes.run(dist.command("keyring:get", "svc", "bob"), noJava, null).exit);
        assertEquals(0, dist.coffer(null, "agent", "stop").exit);
    }

    /**
     * Every command, run in-process and through the agent: the same output, errors and
     * status. The two passes run at once, each on a distribution of its own that starts
     * from the same state; their outputs differ only in the folder's name.
     */
    @Test
    public void theAgentAnswersExactlyAsTheProcessItself() throws Exception {
        String[][] table = {
            {"s3cret\n", "keyring:set", "svc", "bob"},
            {null, "keyring:get", "svc", "bob"},
            {null, "keyring:get", "--json", "svc", "bob"},
            {null, "keyring:get", "svc", "nobody"},
            {null, "keyring:get", "svc"},
            {null, "keyring:nosuch"},
            {null, "keyring:backends"},
            {null, "keyring:use", "nope"},
            {null, "keyring:delete", "svc", "nobody"},
            {"\n", "keyring:config", "APP_CONFIG"},
            {null, "credentials:list"},
            {null, "-c", "keyring:get svc nobody; keyring:get svc bob"},
            {"keyring:get svc bob\nkeyring:get svc nobody\n"},
            {null, "keyring:backends", "--all"},
            {null, "keyring:get", "--help"},
            {null, "keyring:lock", "cryptfile"},
            {null, "credentials:env-add", "staging", "Staging", "hosts"},
            {null, "credentials:list", "--json"},
            {null, "credentials:get", "nowhere", "nothing"},
        };
        // a second distribution for the in-process half of the table
        Distribution alone = new Distribution();
        alone.before();
        try {
            compare(table, alone);
        } finally {
            alone.after();
        }
    }

    private void compare(String[][] table, Distribution alone) throws Exception {
        for (Distribution user : List.of(dist, alone)) {
            Files.writeString(user.home.resolve("app.config"), "[resilient]\napi_key_secret=^resilient_secret\n");
            // the plaintext keyring: the answers do not depend on the backend, and 19 one-shots skip an Argon2id run each
            assertEquals(0, user.coffer(null, "keyring:use", "plaintext").exit);
        }
        ExecutorService pass = Executors.newSingleThreadExecutor();
        Future<List<Processes.Result>> inProcess = pass.submit(() -> {
            List<Processes.Result> results = new ArrayList<>();
            for (String[] row : table) {
                results.add(alone.coffer(row[0], withFirst("--no-agent", rest(row, alone))));
            }
            return results;
        });
        dist.startAgent(Map.of());
        List<Processes.Result> agent = new ArrayList<>();
        for (String[] row : table) {
            agent.add(dist.coffer(row[0], rest(row, dist)));
        }
        List<Processes.Result> own;
        try {
            own = inProcess.get(10, TimeUnit.MINUTES);
        } finally {
            pass.shutdownNow();
        }
        for (int i = 0; i < table.length; i++) {
            String what = String.join(" ", rest(table[i], dist));
            assertEquals(what, dist.asIfHere(own.get(i).stdout, alone), agent.get(i).stdout);
            assertEquals(what, dist.asIfHere(own.get(i).stderr, alone), agent.get(i).stderr);
            assertEquals(what, own.get(i).exit, agent.get(i).exit);
        }
        assertEquals("a line of commands exits with the worst status of them", 1, own.get(11).exit);
        assertEquals(2, own.get(4).exit);
        assertTrue(own.get(4).stderr, own.get(4).stderr.contains("wrong arguments for keyring:get"));
        assertFalse(own.get(4).stderr, own.get(4).stderr.contains("Cannot coerce"));
        assertTrue(own.get(3).stderr, own.get(3).stderr.contains("no password for 'nobody' in 'svc'"));
        assertEquals("s3cret\n", own.get(11).stdout);
        assertEquals(1, own.get(12).exit);
    }

    @Test
    public void aSocketLeftByAKilledAgentIsReplacedAndAStoppedAgentNeverHangsAClient() throws Exception {
        assertEquals(0, dist.coffer("v\n", "keyring:set", "svc", "bob").exit);
        Process agent = dist.startAgent(Map.of());
        long pid = dist.agentPid(dist.env());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        try (var sockets = Files.list(dist.runtime.resolve("coffer"))) {
            assertTrue("the killed agent left its socket", sockets.anyMatch(p -> p.toString().endsWith(".sock")));
        }
        // a client finds the dead socket and runs the command itself
        assertEquals("v\n", dist.coffer(null, "keyring:get", "svc", "bob").stdout);
        dist.startAgent(Map.of());
        assertEquals(0, dist.coffer(null, "agent", "status").exit);

        // the agent dies while a command waits for standard input
        assertTheClientEndsWhenItsAgentDies(Map.of());
    }

    /**
     * Kills the agent while a {@code keyring:set} through it waits on its standard input,
     * which stays open and silent: the client notices the agent's end by itself.
     */
    private void assertTheClientEndsWhenItsAgentDies(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(dist.command("keyring:set", "svc", "carol"));
        builder.environment().putAll(dist.env());
        builder.environment().putAll(env);
        Process client = builder.start();
        awaitSocket(client.pid());
        ProcessHandle.of(dist.agentPid(dist.env())).orElseThrow().destroyForcibly();
        assertTrue("the client ends while its input is still open", client.waitFor(10, TimeUnit.SECONDS));
        String err = new String(client.getErrorStream().readAllBytes());
        assertEquals(err, 1, client.exitValue());
        assertTrue(err, err.contains("the agent stopped before the command finished"));
        client.getOutputStream().close();
    }

    /** Both clients, the native one and the Java one, notice at once. */
    @Test
    public void theJavaClientAlsoNoticesItsAgentDieWhileItWaitsOnStandardInput() throws Exception {
        dist.startAgent(Map.of());
        assertTheClientEndsWhenItsAgentDies(Map.of("COFFER_NO_NATIVE", "1"));
    }

    /** One agent per state folder: a second run stops at once and names the one that serves. */
    @Test
    public void aSecondRunForTheSameStateFolderStopsAtOnceNamingTheAgentThatServes() throws Exception {
        dist.startAgent(Map.of());
        String status = dist.coffer(null, "agent", "status").stdout;
        String pid = status.replaceAll("(?s)running, pid (\\d+),.*", "$1");
        assertTrue(status, status.contains("state folder " + dist.state));
        Processes.Result second = dist.coffer(Distribution.MASTER + "\n", "run");
        assertEquals(second.stderr, 1, second.exit);
        assertTrue(second.stderr, second.stderr.contains("another Coffer serves " + dist.state + " already (pid " + pid
                + ", state folder " + dist.state + ")"));
        assertFalse(second.stderr, second.stderr.contains("running"));

        // an agent of another state folder of the same user is listed beside this one
        Map<String, String> other = new java.util.HashMap<>(Map.of("COFFER_STATE", dist.state + "-other"));
        dist.startAgent(other);
        Processes.Result both = dist.coffer(null, "agent", "status");
        assertEquals(both.stderr, 0, both.exit);
        assertTrue(both.stdout, both.stdout.contains("also running: pid "));
        assertTrue(both.stdout, both.stdout.contains("state folder " + dist.state + "-other"));
        Map<String, String> otherEnv = dist.env();
        otherEnv.putAll(other);
        assertEquals(0, Processes.run(dist.command("agent", "stop"), otherEnv, null).exit);
    }

    /**
     * Waits until the process, or the client it started (bin/coffer runs the native client
     * as its child), has a socket open: the client has reached the agent.
     */
    static void awaitSocket(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> processes = new ArrayList<>();
            ProcessHandle.of(pid).ifPresent(processes::add);
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(processes::add));
            for (ProcessHandle process : processes) {
                try (var links = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
                    if (links.anyMatch(AgentIT::isSocket)) {
                        return;
                    }
                } catch (java.io.IOException ended) {
                    // the process ended meanwhile
                }
            }
            Thread.sleep(20); // /proc has no notification for a new descriptor
        }
        throw new AssertionError("the client never connected to the agent");
    }

    private static boolean isSocket(Path link) {
        try {
            return Files.readSymbolicLink(link).toString().startsWith("socket:");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    public void oneShotsUseTheConfigurationOfEtcAndTheUsersOwnEtcOverridesIt() throws Exception {
        Path custom = dist.home.resolve("custom_pass.cfg");
        Files.writeString(dist.home.resolve("etc/org.coffer.backend.plaintext.cfg"),
                "service.ranking = 300\nfile = /nonexistent/admin_pass.cfg\n");
        Path userEtc = Files.createDirectories(dist.configHome.resolve("coffer/etc"));
        Files.writeString(userEtc.resolve("org.coffer.backend.plaintext.cfg"), "file = " + custom + "\n");
        Processes.Result backends = dist.coffer(null, "keyring:backends");
        assertTrue(backends.stdout, backends.stdout.matches("(?s).*\\* plaintext +300 .*"));
        assertEquals(0, dist.coffer("value\n", "keyring:set", "svc", "bob").exit);
        assertTrue(Files.readString(custom).contains("[svc]\nbob = "));
        assertTrue(dist.coffer(null, "keyring:diagnose").stdout.contains(custom.toString()));
    }

    @Test
    public void aJarInDeployThatCannotResolveIsNotWaitedFor() throws Exception {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.example.unresolvable");
        main.putValue("Import-Package", "org.example.nowhere");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(dist.home.resolve("deploy/unresolvable.jar")),
                manifest)) {
            jar.flush();
        }
        // Processes.run gives up after two minutes: a start that waited for the jar would fail here
        Processes.Result backends = dist.coffer(null, "keyring:backends");
        assertEquals(backends.stderr, 0, backends.exit);
        assertTrue(backends.stdout, backends.stdout.contains("* cryptfile"));
    }

    @Test
    public void thePinSurvivesAConfigurationOfEtcForTheSamePidAndItsRemoval() throws Exception {
        Path providerCfg = dist.home.resolve("etc/org.coffer.provider.cfg");
        Files.writeString(providerCfg, "# the administrator's settings of the provider\nnote = set by etc\n");
        assertEquals(0, dist.coffer(null, "keyring:use", "plaintext").exit);
        assertTrue(dist.coffer(null, "keyring:diagnose").stdout.contains("pinned backend: plaintext"));
        Files.delete(providerCfg);
        assertTrue(dist.coffer(null, "keyring:diagnose").stdout.contains("pinned backend: plaintext"));
    }

    @Test
    public void homeComesFromTheEnvironmentAsPythonHasIt() throws Exception {
        Path home = Files.createDirectories(dist.dataHome.resolve("elsewhere"));
        Files.createDirectories(home.resolve(".resilient"));
        Files.writeString(home.resolve(".resilient/app.config"), "[resilient]\nsecret=^s\n");
        Map<String, String> env = dist.env();
        env.remove("XDG_DATA_HOME");
        env.put("HOME", home.toString());
        env.put("COFFER_KEYRING_PASSWORD", Distribution.MASTER);
        Processes.Result config = Processes.run(dist.command("keyring:config"), env, "x\nx\n");
        assertEquals(config.stderr, 0, config.exit);
        assertTrue(config.stdout, config.stdout.contains(home.resolve(".resilient/app.config").toString()));
        assertTrue(Files.exists(home.resolve(".local/share/python_keyring/cryptfile_pass.cfg")));
    }

    @Test
    public void pythonsKeyringChoiceIsThePinWhileCofferHasNone() throws Exception {
        Map<String, String> env = dist.env();
        env.put("COFFER_KEYRING_PASSWORD", Distribution.MASTER);
        env.put("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring");
        assertEquals(0, Processes.run(dist.command("keyring:set", "svc", "bob"), env, "shared\n").exit);
        assertTrue(Files.readString(dist.dataHome.resolve("python_keyring/keyring_pass.cfg")).contains("[svc]"));
        assertTrue(Processes.run(dist.command("keyring:diagnose"), env, null).stdout.contains("pinned backend: plaintext"));
        Distribution.require(Files.isExecutable(Peers.PYTHON), "Debian's python3 with keyrings.alt (apt-get install python3-keyrings.alt)");
        Processes.Result python = Processes.run(List.of(Peers.PYTHON.toString(), "-m", "keyring", "get", "svc", "bob"), env, null);
        assertEquals(python.stderr, "shared\n", python.stdout);
        // a pin of Coffer's own wins
        assertEquals(0, Processes.run(dist.command("keyring:use", "cryptfile"), env, null).exit);
        assertTrue(Processes.run(dist.command("keyring:diagnose"), env, null).stdout.contains("pinned backend: cryptfile"));
    }

    private static String[] rest(String[] row) {
        return java.util.Arrays.copyOfRange(row, 1, row.length);
    }

    /** The row's command line, with {@code APP_CONFIG} the user's app.config. */
    private static String[] rest(String[] row, Distribution user) {
        String[] words = rest(row);
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("APP_CONFIG")) {
                words[i] = user.home.resolve("app.config").toString();
            }
        }
        return words;
    }

    private static String[] withFirst(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    interface Task {
        Processes.Result run(int i) throws Exception;
    }

    static List<Processes.Result> parallel(int count, int atOnce, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(atOnce);
        try {
            List<Future<Processes.Result>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> task.run(n)));
            }
            List<Processes.Result> results = new ArrayList<>();
            for (Future<Processes.Result> future : futures) {
                results.add(future.get(5, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
