package org.coffer.launcher;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.coffer.client.AgentLock;
import org.coffer.client.AgentSocket;
import org.coffer.client.Places;
import org.coffer.client.Wire;
import org.coffer.files.OwnerOnly;

/**
 * The user's agent: a running Coffer serves the commands of {@code bin/coffer} on a Unix
 * domain socket in a folder of the user's only ({@link AgentSocket}: folder 0700, socket
 * 0600). Before it reads a byte it checks that the peer runs as the same user
 * ({@code SO_PEERCRED}). Requests are read by one thread ({@link RequestReader}); the
 * commands run on a bounded pool of workers, each served by {@link AgentProtocol}, and a
 * command beyond it is sent back to its client, which runs it itself. One agent per state
 * folder ({@link AgentLock}): a lock file in the agent's folder says whether one is alive and
 * which, so a socket left by a killed agent is replaced and a second service refuses to start.
 */
final class Agent implements Closeable {

    /** The most commands that run at once: prompts and {@code --follow} hold theirs for as long as they last. */
    static final int WORKERS = 32;

    private final Path socket;
    private final Path lockFolder;
    private final AgentLock lock;
    private final ServerSocketChannel server;
    private final RequestReader reader;
    private final AgentProtocol protocol;
    private volatile IdleWatch watch;
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(0, WORKERS, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "coffer-agent-command");
                thread.setDaemon(true);
                return thread;
            });

    private Agent(Path socket, Path lockFolder, AgentLock lock, ServerSocketChannel server,
            UserPrincipal owner, Gogo gogo, String fingerprint, Runnable stop) throws IOException {
        this.socket = socket;
        this.lockFolder = lockFolder;
        this.lock = lock;
        this.server = server;
        this.reader = new RequestReader(server, owner, this::dispatch);
        this.protocol = new AgentProtocol(socket, gogo, fingerprint, stop);
    }

    /**
     * Takes this state folder's agent lock; a service does this before Coffer starts.
     *
     * @param places the user's folders
     * @return the lock; empty when another agent serves this state folder
     * @throws IOException if the agent's folder is not private to this user (it is left as it
     *         is, and the message says what to do)
     */
    static Optional<AgentLock> lock(Places places, boolean onDemand) throws IOException {
        return AgentLock.tryAcquire(places, new AgentSocket(places).folder(), onDemand);
    }

    /**
     * @param places the user's folders
     * @return the process id of the agent that serves this state folder when a command
     *         started it ({@code --on-demand}), so that {@code run} may replace it
     */
    static Optional<Long> onDemand(Places places) {
        try {
            Path file = AgentLock.file(places, new AgentSocket(places).folder());
            return AgentLock.onDemand(file) ? AgentLock.pid(file) : Optional.empty();
        } catch (IOException notPrivate) {
            return Optional.empty();
        }
    }

    /**
     * @param places the user's folders
     * @return the agent that serves this state folder, as {@code pid N, state folder S}
     */
    static String holder(Places places) {
        try {
            return AgentLock.holder(AgentLock.file(places, new AgentSocket(places).folder())).orElse("one that just stopped");
        } catch (IOException notPrivate) {
            return "unknown: " + notPrivate.getMessage();
        }
    }

    /**
     * @param places the user's folders
     * @param lock this state folder's agent lock ({@link #lock}), which the agent releases when closed
     * @param gogo runs the commands
     * @param fingerprint the {@link Wire#fingerprint} of this process
     * @param stop stops this Coffer, for {@code agent stop}
     * @return the agent, serving
     * @throws IOException if the agent's folder is not private to this user (it is left as it
     *         is, and the message says what to do) or the socket cannot be made
     */
    static Agent start(Places places, AgentLock lock, Gogo gogo, String fingerprint, Runnable stop) throws IOException {
        AgentSocket sockets = new AgentSocket(places);
        Path runtime;
        Path socket;
        ServerSocketChannel server;
        try {
            runtime = sockets.folder();
            socket = sockets.prepare();
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            if (OwnerOnly.POSIX) {
                // on Windows, the folder's access list, the user's alone, is the socket's guard
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        UserPrincipal owner = Files.getOwner(runtime, LinkOption.NOFOLLOW_LINKS);
        Agent agent = new Agent(socket, runtime, lock, server, owner, gogo, fingerprint, stop);
        Thread acceptor = new Thread(agent.reader, "coffer-agent");
        acceptor.setDaemon(true);
        acceptor.start();
        return agent;
    }

    Path socket() {
        return socket;
    }

    /** @param watch counts the commands from now on, for an agent that exits when idle */
    void watch(IdleWatch watch) {
        this.watch = watch;
    }

    /** A whole request: to a worker, or back to the client when every worker is busy. */
    private void dispatch(SocketChannel channel, Wire.Request request, byte[] rest) {
        try {
            workers.execute(() -> {
                IdleWatch idle = watch;
                if (idle != null) {
                    idle.begin();
                }
                try {
                    protocol.serve(channel, request, rest);
                } finally {
                    if (idle != null) {
                        idle.end();
                    }
                }
            });
        } catch (RejectedExecutionException busy) {
            AgentProtocol.refuse(channel, "the agent runs " + WORKERS + " commands already");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!server.isOpen()) {
            return;
        }
        server.close();
        reader.close();
        Files.deleteIfExists(socket);
        if (!socket.getParent().equals(lockFolder)) {
            // the short folder in the temp folder, and the link to it: nothing of a stopped agent stays there
            Files.deleteIfExists(lockFolder.resolve(AgentSocket.SHORT_LINK));
            Files.deleteIfExists(socket.getParent());
        }
        workers.shutdownNow();
        if (watch != null) {
            watch.close();
        }
        lock.close();
    }
}
