package org.coffer.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the user's agent for a command that found none, as gpg-agent is started: detached
 * (a session of its own, standard input from {@code /dev/null}, its output appended to
 * {@code agent.log} in the state folder), locked, and gone after its idle time
 * ({@link AgentSettings}). Commands that find no agent at the same moment take turns on a
 * start lock beside the agent's lock: the first starts it, the others find it started.
 */
final class AgentStarter {

    /** A cold start on a busy machine: framework, bundles, then the socket. */
    static final long START_MILLIS = 60_000;
    static final String LOG = "agent.log";
    private static final long LOG_LIMIT = 1 << 20;

    private final Places places;
    private final Map<String, String> env;
    private final Path install;
    private final PrintStream err;

    AgentStarter(Places places, Map<String, String> env, Path install, PrintStream err) {
        this.places = places;
        this.env = env;
        this.install = install;
        this.err = err;
    }

    /** @return whether an agent serves this state folder now */
    boolean start() {
        Path folder;
        try {
            folder = new AgentSocket(places).folder();
        } catch (IOException notPrivate) {
            return false; // said when the socket was looked for
        }
        Path lockFile = AgentLock.file(places, folder);
        Path startLock = lockFile.resolveSibling(lockFile.getFileName() + ".start");
        long deadline = System.currentTimeMillis() + START_MILLIS;
        try (FileChannel channel = FileChannel.open(startLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock turn = lock(channel, deadline)) {
            if (turn == null) {
                return false;
            }
            if (AgentLock.holder(lockFile).isPresent()) {
                return serving(null, deadline); // started by a command that went first
            }
            return serving(spawn(), deadline);
        } catch (IOException e) {
            err.println("coffer: the agent could not be started: " + e.getMessage() + "; running the command in this process");
            return false;
        }
    }

    private static FileLock lock(FileChannel channel, long deadline) throws IOException {
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null || System.currentTimeMillis() > deadline) {
                return lock;
            }
            pause();
        }
    }

    private Process spawn() throws IOException {
        Path log = Places.privateFolder(places.state()).resolve(LOG);
        if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS) && Files.size(log) > LOG_LIMIT) {
            Files.move(log, log.resolveSibling(LOG + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>();
        Path setsid = setsid();
        if (setsid != null) {
            command.add(setsid.toString()); // no terminal: its hangup and Ctrl-C do not reach the agent
        }
        command.addAll(List.of(install.resolve("bin").resolve("coffer").toString(), "--on-demand", "run"));
        ProcessBuilder builder = new ProcessBuilder(command)
                // not the caller's folder, which it would keep busy: each request brings its own
                .directory(Files.isDirectory(places.home()) ? places.home().toFile() : null)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        // it starts locked: a password in this command's environment goes with each request, not into the agent
        Wire.FORWARDED.stream().filter(name -> name.endsWith("PASSWORD")).forEach(builder.environment()::remove);
        Files.writeString(log, "coffer: started on demand by pid " + ProcessHandle.current().pid() + " at "
                + java.time.Instant.now() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return builder.start();
    }

    private static Path setsid() {
        for (String folder : List.of("/usr/bin", "/bin")) {
            Path candidate = Path.of(folder, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Waits until the agent's socket takes connections; {@code false} if the agent stopped first or too late. */
    private boolean serving(Process started, long deadline) throws IOException {
        while (System.currentTimeMillis() < deadline) {
            if (serves(places)) {
                return true;
            }
            if (started != null && !started.isAlive()) {
                err.println("coffer: the agent stopped as it started (exit status " + started.exitValue() + "; see "
                        + places.state().resolve(LOG) + "); running the command in this process");
                return false;
            }
            if (started == null && AgentLock.holder(AgentLock.file(places, new AgentSocket(places).folder())).isEmpty()) {
                return false; // the agent another command started stopped
            }
            pause();
        }
        err.println("coffer: the agent did not serve within " + START_MILLIS / 1000 + " s (see "
                + places.state().resolve(LOG) + "); running the command in this process");
        return false;
    }

    /** @return whether an agent takes connections on this state folder's socket now */
    static boolean serves(Places places) {
        try {
            Path socket = new AgentSocket(places).find();
            return socket != null && Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && accepts(socket);
        } catch (IOException notPrivate) {
            return false;
        }
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void pause() throws IOException {
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the agent started");
        }
    }
}
