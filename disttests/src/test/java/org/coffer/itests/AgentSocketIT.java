package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.coffer.client.Places;
import org.coffer.client.Wire;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/**
 * The agent's socket under abuse, through the built distribution: a flood of connections
 * that never finish their request, a {@code /tmp/coffer-UID} planted by someone else, a
 * socket folder others may enter, and a state folder too deep for a socket path.
 */
public class AgentSocketIT {

    private static final int FLOOD = 1000;
    private static final long MIB = 1 << 20;

    @Rule
    public final Distribution dist = new Distribution();

    /** 1,000 connections each announcing a 1 MiB string and sending nothing more. */
    @Test
    public void aFloodOfIdleConnectionsCostsTheAgentLittleAndItAnswersThroughout() throws Exception {
        requireNativeClient();
        assertEquals(0, dist.coffer("v\n", "keyring:set", "svc", "bob").exit);
        dist.startAgent(Map.of());
        long pid = agentPid(dist.env());
        for (int i = 0; i < 3; i++) {
            assertAgentAnswers(dist.env()); // its first commands' costs belong to the baseline
        }
        long rssBefore = status(pid, "VmRSS");
        long threadsBefore = status(pid, "Threads");
        Path socket = new Places(dist.env()).socket();
        List<SocketChannel> flood = new ArrayList<>();
        try {
            long peak = rssBefore;
            long peakThreads = threadsBefore;
            for (int i = 0; i < FLOOD; i++) {
                SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                channel.write(announcement());
                flood.add(channel);
                if (i % 100 == 0) {
                    peak = Math.max(peak, status(pid, "VmRSS"));
                    peakThreads = Math.max(peakThreads, status(pid, "Threads"));
                }
            }
            assertAgentAnswers(dist.env()); // accepted after every connection of the flood
            for (int i = 0; i < 20; i++) {
                peak = Math.max(peak, status(pid, "VmRSS"));
                peakThreads = Math.max(peakThreads, status(pid, "Threads"));
                Thread.sleep(100); // sampling the agent's memory while the flood waits
            }
            System.out.printf("agent flood: VmRSS %d -> %d kB, threads %d -> %d%n", rssBefore, peak, threadsBefore,
                    peakThreads);
            assertTrue("resident memory grew by " + (peak - rssBefore) / 1024 + " MiB", (peak - rssBefore) * 1024 < 50 * MIB);
            assertTrue("threads grew from " + threadsBefore + " to " + peakThreads, peakThreads - threadsBefore < 40);

            for (SocketChannel channel : flood) {
                awaitClosedByAgent(channel);
            }
            long rssAfter = status(pid, "VmRSS");
            System.out.printf("agent flood: after the deadline VmRSS %d kB, threads %d%n", rssAfter, status(pid, "Threads"));
            assertTrue("resident memory after the deadline: " + rssAfter + " kB", (rssAfter - rssBefore) * 1024 < 50 * MIB);
            assertAgentAnswers(dist.env());
        } finally {
            for (SocketChannel channel : flood) {
                channel.close();
            }
        }
    }

    /** The deadline is for delivering a request: a command that waits on its client longer goes on. */
    @Test
    public void aCommandWaitingOnItsClientOutlivesTheRequestDeadline() throws Exception {
        dist.startAgent(Map.of());
        ProcessBuilder builder = new ProcessBuilder(dist.command("keyring:set", "svc", "slow"));
        builder.environment().putAll(dist.env());
        Process client = builder.start();
        AgentIT.awaitSocket(client.pid());
        Thread.sleep(TimeUnit.SECONDS.toMillis(12)); // the time that passes is what is tested: past the 10 s deadline
        try (var in = client.getOutputStream()) {
            in.write("slow value\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue("the client ends", client.waitFor(60, TimeUnit.SECONDS));
        String err = new String(client.getErrorStream().readAllBytes());
        assertEquals(err, 0, client.exitValue());
        assertEquals("slow value\n", dist.coffer(null, "keyring:get", "svc", "slow").stdout);
    }

    /** Someone else made {@code /tmp/coffer-UID} first: the user still has an agent, and commands reach it. */
    @Test
    public void aTempFolderPlantedByAnotherUserLeavesTheUserAnAgent() throws Exception {
        requireNativeClient();
        Map<String, String> env = withoutRuntimeDir();
        assertEquals(0, Processes.run(dist.command("keyring:set", "svc", "bob"), withPassword(env), "v\n").exit);
        Path planted = Path.of("/tmp", "coffer-" + Places.uid());
        Path aside = planted.resolveSibling(planted.getFileName() + ".aside-" + ProcessHandle.current().pid());
        boolean existed = Files.exists(planted, LinkOption.NOFOLLOW_LINKS);
        if (existed) {
            Files.move(planted, aside);
        }
        Files.createDirectory(planted);
        try {
            asAnotherUsers(planted);
            dist.startAgent(Map.of("XDG_RUNTIME_DIR", ""));
            Processes.Result status = Processes.run(dist.command("agent", "status"), env, null);
            assertEquals(status.stdout + status.stderr, 0, status.exit);
            assertAgentAnswers(env);
            assertEquals(0, Processes.run(dist.command("agent", "stop"), env, null).exit);
        } finally {
            delete(planted);
            if (existed) {
                Files.move(aside, planted);
            }
        }
    }

    /**
     * A socket where the clients look, in a folder that others may enter or that another
     * user owns: neither client connects to it; the command runs in the client's process.
     */
    @Test
    public void neitherClientTalksToASocketInAFolderThatIsNotPrivate() throws Exception {
        Map<String, String> env = withoutRuntimeDir();
        assertEquals(0, Processes.run(dist.command("keyring:set", "svc", "bob"), withPassword(env), "v\n").exit);
        Path socket = new Places(env).socket();
        Path folder = socket.getParent();
        List<Runnable> spoilers = new ArrayList<>();
        spoilers.add(() -> chmod(folder, "rwxrwxrwx"));
        if (Places.uid() == 0) {
            spoilers.add(() -> {
                chmod(folder, "rwx------");
                chown(folder, "nobody");
            });
        }
        boolean madeParent = !Files.exists(folder.getParent());
        for (Runnable spoil : spoilers) {
            Files.createDirectories(folder);
            spoil.run();
            AtomicInteger connections = new AtomicInteger();
            try (ServerSocketChannel planted = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                planted.bind(UnixDomainSocketAddress.of(socket));
                Thread listener = new Thread(() -> {
                    while (planted.isOpen()) {
                        try (SocketChannel peer = planted.accept()) {
                            connections.incrementAndGet();
                        } catch (java.io.IOException closed) {
                            return;
                        }
                    }
                });
                listener.setDaemon(true);
                listener.start();
                for (boolean nativeClient : new boolean[] {true, false}) {
                    Map<String, String> client = withPassword(env);
                    if (!nativeClient) {
                        client.put("COFFER_NO_NATIVE", "1");
                    }
                    Processes.Result get = Processes.run(dist.command("keyring:get", "svc", "bob"), client, null);
                    assertEquals(get.stderr, "v\n", get.stdout);
                    assertEquals((nativeClient ? "the native" : "the Java") + " client connected to a socket in "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)) + " "
                            + Files.getOwner(folder).getName() + ": " + get.stderr, 0, connections.get());
                }
            } finally {
                delete(folder);
                if (madeParent) {
                    delete(folder.getParent());
                }
            }
        }
    }

    /** A state folder so deep that a socket in it would pass the 108-byte limit: the agent serves from a short folder. */
    @Test
    public void aStateFolderTooDeepForASocketPathStillHasAnAgent() throws Exception {
        requireNativeClient();
        Map<String, String> env = withoutRuntimeDir();
        Path deep = dist.state.resolve("a-state-folder-whose-path-is-longer-than-a-unix-socket-path-may-be/coffer");
        env.put("COFFER_STATE", deep.toString());
        assertTrue(deep.resolve("agent/agent.sock").toString().length() > 107);
        assertEquals(0, Processes.run(dist.command("keyring:set", "svc", "bob"), withPassword(env), "v\n").exit);
        dist.startAgent(Map.of("XDG_RUNTIME_DIR", "", "COFFER_STATE", deep.toString()));
        Processes.Result status = Processes.run(dist.command("agent", "status"), env, null);
        assertEquals(status.stdout + status.stderr, 0, status.exit);
        Path socket = Path.of(status.stdout.replaceAll("(?s).*socket (\\S+), .*", "$1"));
        assertTrue(status.stdout, socket.toString().length() <= 107);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent(),
                LinkOption.NOFOLLOW_LINKS)));
        assertEquals(Places.uid(), Files.getAttribute(socket.getParent(), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertAgentAnswers(env);
        Map<String, String> java = new HashMap<>(env);
        java.put("COFFER_NO_NATIVE", "1");
        Processes.Result viaJava = Processes.run(dist.command("agent", "status"), java, null);
        assertEquals(viaJava.stderr, status.stdout.replaceAll(", up .*", ""), viaJava.stdout.replaceAll(", up .*", ""));
        assertEquals(0, Processes.run(dist.command("agent", "stop"), env, null).exit);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(socket.getParent()) && System.nanoTime() < deadline) {
            Thread.sleep(50); // the agent removes its short folder as it stops; a folder has no event for that here
        }
        assertTrue("the stopped agent left " + socket.getParent(), !Files.exists(socket.getParent()));
    }

    /** The agent does not serve from a folder others may enter, leaves it as it is, and says what to do. */
    @Test
    public void theAgentRefusesAFolderOthersMayEnterAndSaysWhatToDo() throws Exception {
        Map<String, String> env = withoutRuntimeDir();
        Path folder = new Places(env).runtime();
        Files.createDirectories(folder);
        chmod(folder, "rwxrwxrwx");
        ProcessBuilder builder = new ProcessBuilder(dist.command("run"));
        builder.environment().putAll(withPassword(env));
        Process agent = builder.start();
        try {
            try (var in = agent.getOutputStream()) {
                in.write((Distribution.MASTER + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            List<String> lines = Distribution.awaitLine(agent.getErrorStream(), "coffer: running");
            assertTrue(lines.toString(), lines.stream().anyMatch(line -> line.contains("not serving other commands")
                    && line.contains(folder + " has mode rwxrwxrwx") && line.contains("chmod 700 " + folder)));
            assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            try (var files = Files.list(folder)) {
                assertTrue("the agent wrote into the folder", files.findAny().isEmpty());
            }
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Map<String, String> withoutRuntimeDir() {
        Map<String, String> env = dist.env();
        env.put("XDG_RUNTIME_DIR", ""); // blank is unset, for both clients and the agent
        return env;
    }

    private static Map<String, String> withPassword(Map<String, String> env) {
        Map<String, String> with = new HashMap<>(env);
        with.put("COFFER_KEYRING_PASSWORD", Distribution.MASTER);
        return with;
    }

    private void requireNativeClient() {
        Distribution.require(Files.isExecutable(dist.home.resolve("lib/coffer-agent-client")),
                "a C compiler for the agent's native client (apt-get install gcc libc6-dev)");
    }

    /** With no java to be found, only the native client can answer, and only through the agent. */
    private void assertAgentAnswers(Map<String, String> env) {
        Map<String, String> noJava = new HashMap<>(env);
        noJava.put("JAVA_HOME", dist.home.resolve("no-such-jdk").toString());
        Processes.Result get = Processes.run(dist.command("keyring:get", "svc", "bob"), noJava, null);
        assertEquals(get.stderr, 0, get.exit);
        assertEquals("v\n", get.stdout);
    }

    private long agentPid(Map<String, String> env) {
        return dist.agentPid(env);
    }

    /** A line of {@code /proc/PID/status}: VmRSS in kB, Threads. */
    private static long status(long pid, String field) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + pid + "/status");
    }

    /** A request whose first word announces 1 MiB, of which nothing follows. */
    private static ByteBuffer announcement() {
        ByteBuffer bytes = ByteBuffer.allocate(13);
        bytes.putInt(Wire.MAGIC).put(Wire.COMMAND).putInt(1).putInt(1 << 20).flip();
        return bytes;
    }

    /** The agent closes a connection that has not delivered its request by the deadline. */
    private static void awaitClosedByAgent(SocketChannel channel) throws Exception {
        channel.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ByteBuffer one = ByteBuffer.allocate(1);
        while (System.nanoTime() < deadline) {
            int read;
            try {
                read = channel.read(one);
            } catch (java.io.IOException reset) {
                return;
            }
            if (read < 0) {
                return;
            }
            assertEquals("the agent answered a request that never came", 0, read);
            Thread.sleep(50); // a channel has no wait for its peer's close but a selector; polling is enough here
        }
        throw new AssertionError("the agent kept a connection that never delivered its request");
    }

    private static void asAnotherUsers(Path folder) throws java.io.IOException {
        chmod(folder, "rwxrwxrwx");
        if (Places.uid() == 0) {
            chown(folder, "nobody");
        }
    }

    private static void chmod(Path folder, String mode) {
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(mode));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void chown(Path folder, String user) {
        try {
            Files.setOwner(folder, folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) throws java.io.IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
