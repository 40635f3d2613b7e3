package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coffer.test.Processes;
import org.junit.rules.ExternalResource;

/**
 * A copy of the built distribution and one user's folders (keyring files, state,
 * runtime, configuration) in a folder of the test's own, driven through
 * {@code bin/coffer} as a user drives it. Any agent it started is stopped afterwards.
 */
public final class Distribution extends ExternalResource {

    static final String MASTER = "master password";
    /** Emptied, so that a desktop's Secret Service does not outrank the keyring files these tests expect. */
    static final String NO_BUS = "DBUS_SESSION_BUS_ADDRESS";
    /** Set in {@link #env()}: a command that finds no agent runs in its own process, as a test expects. */
    static final String NO_AUTOSTART = "COFFER_NO_AUTOSTART";

    Path home;
    Path dataHome;
    Path state;
    Path runtime;
    Path configHome;
    private Path work;
    private final List<Process> started = new ArrayList<>();

    @Override
    protected void before() throws IOException {
        Path built = Path.of(System.getProperty("coffer.distribution", "../distribution/target/coffer"));
        assertTrue("the distribution is built at " + built, Files.isExecutable(built.resolve("bin/coffer")));
        // short: the agent's socket path must fit in 108 bytes
        work = newWorkFolder(Files.createDirectories(Path.of(System.getProperty("coffer.work", "target/work"))
                .toAbsolutePath()));
        home = work.resolve("coffer");
        dataHome = Files.createDirectories(work.resolve("data"));
        state = work.resolve("state");
        runtime = Files.createDirectories(work.resolve("run"));
        configHome = Files.createDirectories(work.resolve("config"));
        copy(built, home);
    }

    /**
     * A new folder whose name is as long as every other's, so that the output of two
     * distributions (paths, and the columns they widen) differs only in that name.
     */
    private static Path newWorkFolder(Path parent) throws IOException {
        while (true) {
            try {
                return Files.createDirectory(parent.resolve(String.format("d%08x",
                        java.util.concurrent.ThreadLocalRandom.current().nextInt())));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another test drew it: draw again
            }
        }
    }

    /** @return the text with the other distribution's folder named as this one's */
    String asIfHere(String text, Distribution other) {
        return text.replace(other.work.toString(), work.toString());
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Override
    protected void after() {
        coffer(null, "agent", "stop");
        stopAgents(runtime.resolve("coffer"));
        for (Process process : started) {
            process.destroy();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the next build's clean removes it
        }
    }

    /**
     * Stops every agent whose lock file is in the folder (those of other state folders too):
     * CI ends with no agent running. Only a process that runs Coffer is stopped.
     */
    static void stopAgents(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path lock : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".lock"))::iterator) {
                for (String line : Files.readAllLines(lock)) {
                    if (line.startsWith("pid ")) {
                        ProcessHandle.of(Long.parseLong(line.substring(4).trim()))
                                .filter(p -> p.info().commandLine().orElse("").contains("org.coffer"))
                                .ifPresent(Distribution::stop);
                    }
                }
            }
        } catch (IOException | NumberFormatException none) {
            // no folder, or no agent
        }
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    /**
     * @param env the environment {@code agent status} runs in
     * @return the process id of the agent that serves it (fails when none does)
     */
    long agentPid(Map<String, String> env) {
        Processes.Result status = Processes.run(command("agent", "status"), env, null);
        assertEquals(status.stdout + status.stderr, 0, status.exit);
        return Long.parseLong(status.stdout.replaceAll("(?s)running, pid (\\d+),.*", "$1"));
    }

    /** @return the user's environment, without the keyring password */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_DATA_HOME", dataHome.toString());
        env.put("COFFER_STATE", state.toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put(NO_BUS, "");
        // a test that wants the agent starts it; AgentAutoStartIT removes this
        env.put(NO_AUTOSTART, "1");
        // the java bin/coffer runs: another JDK's (the java25 run) when the build names one
        String javaHome = System.getProperty("coffer.java.home", "");
        if (!javaHome.isEmpty()) {
            env.put("JAVA_HOME", javaHome);
        }
        return env;
    }

    /**
     * @return Java 25's home where the machine has it (Temurin's, or {@code -Dcoffer.java25=...}):
     *         the tests that run bin/coffer on the current LTS as well
     */
    public static java.util.Optional<Path> java25() {
        Path jdk = Path.of(System.getProperty("coffer.java25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (Files.isExecutable(jdk.resolve("bin/java"))) {
            return java.util.Optional.of(jdk);
        }
        System.err.println("*** no Java 25 at " + jdk + " (-Dcoffer.java25=...): its runs are skipped ***");
        return java.util.Optional.empty();
    }

    /** @return {@code env K=V ...} of {@link #env()} and the keyring password, for a command line under tmux */
    String shellEnv() {
        return "env" + variables() + " COFFER_KEYRING_PASSWORD='" + MASTER + "'";
    }

    /**
     * @return {@code env K=V ...} of {@link #env()}, without the keyring password (which the
     *         tmux server has from the process that started it): a person types it
     */
    String shellEnvWithoutPassword() {
        return "env -u COFFER_KEYRING_PASSWORD" + variables();
    }

    private String variables() {
        StringBuilder words = new StringBuilder();
        env().forEach((name, value) -> words.append(' ').append(name).append("='").append(value).append('\''));
        return words.toString();
    }

    /** A one-shot command with the keyring password in the environment, as a script would run it. */
    Processes.Result coffer(String stdin, String... args) {
        return run(command(args), stdin);
    }

    Processes.Result cofferWithoutPassword(String stdin, String... args) {
        return Processes.run(command(args), env(), stdin);
    }

    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/coffer").toString()));
        command.addAll(List.of(args));
        return command;
    }

    Processes.Result run(List<String> command, String stdin) {
        Map<String, String> env = env();
        env.put("COFFER_KEYRING_PASSWORD", MASTER);
        return Processes.run(command, env, stdin);
    }

    /**
     * Starts {@code echo PASSWORD | bin/coffer [OPTIONS] run} and returns once it serves commands.
     *
     * @param env variables beside {@link #env()}
     * @param options options before {@code run}, such as {@code --web}
     * @return the running agent
     */
    Process startAgent(Map<String, String> env, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(options));
        args.add("run");
        ProcessBuilder builder = new ProcessBuilder(command(args.toArray(new String[0])));
        builder.environment().putAll(env());
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        try (var in = process.getOutputStream()) {
            in.write((MASTER + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        awaitLine(process.getErrorStream(), "running");
        return process;
    }

    /** The lines a process writes until one contains the text; fails after a minute instead of hanging. */
    static List<String> awaitLine(java.io.InputStream stream, String text) throws Exception {
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
        return lines.get(60, TimeUnit.SECONDS);
    }

    /** Waits up to 15 s for the condition, polling; fails naming what it waited for. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Fails under CI=true, skips loudly elsewhere, when a peer program is missing. */
    static void require(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(what + " is missing; CI=true: this test must not be skipped");
        }
        assumeTrue("*** " + what + " is missing: skipping ***", present);
    }

    static void requireTmux() {
        require(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux (apt-get install tmux)");
    }

    /** A tmux server of the test's own, to type at a terminal and read the screen. */
    final class Tmux {
        final List<String> tmux = List.of("tmux", "-S", work.resolve("tmux.sock").toString());
        final String session;

        Tmux(String session, String command) {
            this.session = session;
            List<String> start = new ArrayList<>(tmux);
            start.addAll(List.of("new-session", "-d", "-s", session, "-x", "200", "-y", "50", command));
            assertEquals(0, run(start, null).exit);
        }

        /** Types a command until its output shows the text: FileInstall notices a change within its poll interval. */
        void expect(String command, String text) throws InterruptedException {
            AssertionError last = null;
            for (int attempt = 0; attempt < 10; attempt++) {
                type("clear");
                type(command);
                try {
                    await(text, 20);
                    return;
                } catch (AssertionError notYet) {
                    last = notYet;
                }
            }
            throw last;
        }

        void type(String line) {
            List<String> keys = new ArrayList<>(tmux);
            keys.addAll(List.of("send-keys", "-t", session, line, "Enter"));
            assertEquals(0, run(keys, null).exit);
        }

        void await(String text) throws InterruptedException {
            await(text, 150);
        }

        String screen() {
            List<String> capture = new ArrayList<>(tmux);
            capture.addAll(List.of("capture-pane", "-p", "-t", session));
            return run(capture, null).stdout;
        }

        void await(String text, int polls) throws InterruptedException {
            awaitTimes(text, 1, polls);
        }

        /** Waits until the text is on the screen {@code times} times: a prompt asked again. */
        void awaitTimes(String text, int times, int polls) throws InterruptedException {
            String screen = "";
            for (int i = 0; i < polls; i++) {
                screen = screen();
                if (screen.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
                    return;
                }
                Thread.sleep(100); // polling the screen: tmux has no event for "this text appeared"
            }
            throw new AssertionError("'" + text + "' did not appear " + times + " times on the screen:\n" + screen);
        }

        void kill() {
            List<String> kill = new ArrayList<>(tmux);
            kill.add("kill-server");
            run(kill, null);
        }
    }
}
