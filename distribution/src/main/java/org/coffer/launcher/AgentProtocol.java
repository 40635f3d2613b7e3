package org.coffer.launcher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.coffer.client.Places;
import org.coffer.client.Wire;

/**
 * The agent's side of the {@link Wire} protocol, for one request on its connection:
 * status and stop answered at once, a command (or script) run by Gogo with its output,
 * standard input and prompts carried in frames, and its exit status last. A request from
 * another environment (another {@link Wire#fingerprint}) is refused.
 */
final class AgentProtocol {

    private final Path socket;
    private final Gogo gogo;
    private final String fingerprint;
    private final Runnable stop;
    private final long started = System.currentTimeMillis();

    /**
     * @param socket the agent's socket, for the status
     * @param gogo runs the commands
     * @param fingerprint the {@link Wire#fingerprint} of this process
     * @param stop stops this Coffer, for {@code agent stop}
     */
    AgentProtocol(Path socket, Gogo gogo, String fingerprint, Runnable stop) {
        this.socket = socket;
        this.gogo = gogo;
        this.fingerprint = fingerprint;
        this.stop = stop;
    }

    /**
     * Serves one request and closes its connection.
     *
     * @param channel the client's connection
     * @param request the request read from it
     * @param rest the bytes the reader read past the request
     */
    void serve(SocketChannel channel, Wire.Request request, byte[] rest) {
        try (channel) {
            InputStream received = new SequenceInputStream(new ByteArrayInputStream(rest),
                    Channels.newInputStream(channel));
            DataInputStream in = new DataInputStream(new BufferedInputStream(received));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            int status;
            if (request.kind == Wire.STATUS || request.kind == Wire.STOP) {
                status = control(request, out);
            } else if (!fingerprint.equals(request.fingerprint)) {
                refuse(out, "this agent serves another environment");
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

    /** Sends a client back to run its command itself, and closes the connection. */
    static void refuse(SocketChannel channel, String why) {
        try (channel) {
            refuse(new DataOutputStream(Channels.newOutputStream(channel)), why);
        } catch (IOException gone) {
            // the client went away
        }
    }

    private static void refuse(DataOutputStream out, String why) throws IOException {
        out.writeByte(Wire.REFUSED);
        Wire.writeString(out, why);
        out.flush();
    }

    private int control(Wire.Request request, DataOutputStream out) throws IOException {
        String text = request.kind == Wire.STOP ? "stopping the agent (pid " + ProcessHandle.current().pid() + ")\n"
                : "running, pid " + ProcessHandle.current().pid() + ", state folder " + new Places(System.getenv()).state()
                + ", up " + (System.currentTimeMillis() - started) / 1000
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
}
