package org.coffer.launcher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.coffer.client.AgentSocket;
import org.coffer.client.Places;
import org.coffer.client.Wire;

/**
 * The user's agent: a running Coffer serves the commands of {@code bin/coffer} on a Unix
 * domain socket in a folder of the user's only ({@link AgentSocket}: folder 0700, socket
 * 0600). Before it reads a byte it checks that the peer runs as the same user
 * ({@code SO_PEERCRED}). Requests are read by one thread ({@link RequestReader}); the
 * commands run on a bounded pool of workers, and a command beyond it is sent back to
 * its client, which runs it itself. One agent per state folder: a lock file in the
 * agent's folder says whether one is alive, so a socket left by a killed agent is replaced.
 */
final class Agent implements Closeable {

    /** The most commands that run at once: prompts and {@code --follow} hold theirs for as long as they last. */
    static final int WORKERS = 32;

    private final Path socket;
    private final Path lockFolder;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ServerSocketChannel server;
    private final RequestReader reader;
    private final Gogo gogo;
    private final String fingerprint;
    private final Runnable stop;
    private final long started = System.currentTimeMillis();
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(0, WORKERS, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "coffer-agent-command");
                thread.setDaemon(true);
                return thread;
            });

    private Agent(Path socket, Path lockFolder, FileChannel lockChannel, FileLock lock, ServerSocketChannel server,
            UserPrincipal owner, Gogo gogo, String fingerprint, Runnable stop) throws IOException {
        this.socket = socket;
        this.lockFolder = lockFolder;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.server = server;
        this.reader = new RequestReader(server, owner, this::dispatch);
        this.gogo = gogo;
        this.fingerprint = fingerprint;
        this.stop = stop;
    }

    /**
     * @param places the user's folders
     * @param gogo runs the commands
     * @param fingerprint the {@link Wire#fingerprint} of this process
     * @param stop stops this Coffer, for {@code agent stop}
     * @return the agent, serving; {@code null} if another agent serves this state folder
     * @throws IOException if the agent's folder is not private to this user (it is left as it
     *         is, and the message says what to do) or the socket cannot be made
     */
    static Agent start(Places places, Gogo gogo, String fingerprint, Runnable stop) throws IOException {
        AgentSocket sockets = new AgentSocket(places);
        Path runtime = sockets.folder();
        String name = places.socket().getFileName().toString();
        FileChannel lockChannel = FileChannel.open(runtime.resolve(name.replace(".sock", ".lock")),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            return null;
        }
        Path socket = sockets.prepare();
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        UserPrincipal owner = Files.getOwner(runtime, LinkOption.NOFOLLOW_LINKS);
        Agent agent = new Agent(socket, runtime, lockChannel, lock, server, owner, gogo, fingerprint, stop);
        Thread acceptor = new Thread(agent.reader, "coffer-agent");
        acceptor.setDaemon(true);
        acceptor.start();
        return agent;
    }

    Path socket() {
        return socket;
    }

    /** A whole request: to a worker, or back to the client when every worker is busy. */
    private void dispatch(SocketChannel channel, Wire.Request request, byte[] rest) {
        try {
            workers.execute(() -> serve(channel, request, rest));
        } catch (RejectedExecutionException busy) {
            try (channel) {
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
                out.writeByte(Wire.REFUSED);
                Wire.writeString(out, "the agent runs " + WORKERS + " commands already");
                out.flush();
            } catch (IOException gone) {
                // the client went away
            }
        }
    }

    private void serve(SocketChannel channel, Wire.Request request, byte[] rest) {
        try (channel) {
            InputStream received = new SequenceInputStream(new java.io.ByteArrayInputStream(rest),
                    Channels.newInputStream(channel));
            DataInputStream in = new DataInputStream(new BufferedInputStream(received));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            int status;
            if (request.kind == Wire.STATUS || request.kind == Wire.STOP) {
                status = control(request, out);
            } else if (!fingerprint.equals(request.fingerprint)) {
                out.writeByte(Wire.REFUSED);
                Wire.writeString(out, "this agent serves another environment");
                out.flush();
                return;
            } else {
                status = command(request, in, out);
            }
            synchronized (out) {
                out.writeByte(Wire.EXIT);
                out.writeInt(status);
                out.flush();
            }
            if (request.kind == Wire.STOP) {
                stop.run();
            }
        } catch (Exception e) {
            // the client went away; its command has ended or will end on its next write
        }
    }

    private int control(Wire.Request request, DataOutputStream out) throws IOException {
        String text = request.kind == Wire.STOP ? "stopping the agent (pid " + ProcessHandle.current().pid() + ")\n"
                : "running, pid " + ProcessHandle.current().pid() + ", up " + (System.currentTimeMillis() - started) / 1000
                + " s, socket " + socket + ", " + Runtime.getRuntime().totalMemory() / (1 << 20) + " MiB heap\n";
        new Frames(out).out.print(text);
        return 0;
    }

    private int command(Wire.Request request, DataInputStream in, DataOutputStream out) throws Exception {
        Frames frames = new Frames(out);
        boolean wellFormed = request.kind == Wire.COMMAND ? !request.words.isEmpty()
                : request.kind == Wire.SCRIPT && request.words.size() == 1;
        if (!wellFormed) {
            frames.err.println("coffer: the request names no command");
            return 2;
        }
        Function<String, char[]> prompt = request.console ? text -> frames.prompt(in, text) : null;
        Gogo.Caller caller = new Gogo.Caller(frames.input(in), frames.out, frames.err, request.env, request.cwd, prompt);
        if (request.kind == Wire.SCRIPT) {
            return gogo.script(request.words.get(0), caller);
        }
        return gogo.command(request.words, caller);
    }

    /** The streams of one connection: every write and every question is one frame. */
    private static final class Frames {
        private static final int FRAME = 1 << 16;
        private final DataOutputStream out0;
        final PrintStream out;
        final PrintStream err;

        Frames(DataOutputStream out) {
            this.out0 = out;
            this.out = new PrintStream(stream(Wire.OUT), true, StandardCharsets.UTF_8);
            this.err = new PrintStream(stream(Wire.ERR), true, StandardCharsets.UTF_8);
        }

        private OutputStream stream(byte type) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    synchronized (out0) {
                        for (int done = 0; done < length; done += FRAME) {
                            int size = Math.min(FRAME, length - done);
                            out0.writeByte(type);
                            out0.writeInt(size);
                            out0.write(bytes, offset + done, size);
                        }
                        out0.flush();
                    }
                }
            };
        }

        /** Standard input of the client, read only as far as the command reads it. */
        InputStream input(DataInputStream in) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    byte[] bytes;
                    synchronized (out0) {
                        out0.writeByte(Wire.READ);
                        out0.writeInt(length);
                        out0.flush();
                        bytes = Wire.readBytes(in);
                    }
                    if (bytes == null) {
                        return -1;
                    }
                    System.arraycopy(bytes, 0, buffer, offset, bytes.length);
                    Arrays.fill(bytes, (byte) 0);
                    return bytes.length;
                }
            };
        }

        /** Asks the client's terminal for a secret; {@code null} when none was typed. */
        char[] prompt(DataInputStream in, String text) {
            try {
                byte[] bytes;
                synchronized (out0) {
                    out0.writeByte(Wire.PROMPT);
                    Wire.writeString(out0, text);
                    out0.flush();
                    bytes = Wire.readBytes(in);
                }
                if (bytes == null) {
                    return null;
                }
                CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
                char[] secret = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
                Arrays.fill(chars.array(), '\0');
                Arrays.fill(bytes, (byte) 0);
                return secret;
            } catch (IOException e) {
                return null;
            }
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
        lock.release();
        lockChannel.close();
    }
}
