package org.coffer.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * {@code bin/coffer}: sends the command to the user's running agent and plays its
 * answer back (output, exit status, prompts answered at this terminal, standard input
 * read when the command asks). Without an agent, or with {@code --no-agent}, it starts
 * Coffer in this process ({@code org.coffer.launcher.Main}). It loads no OSGi, so a
 * command through the agent costs about one small JVM start.
 */
public final class Client {

    private static final PrintStream STDERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    private static final String LAUNCHER = "org.coffer.launcher.Main";

    private final Places places;
    private final Map<String, String> env;

    private Client(Map<String, String> env) {
        this.env = env;
        this.places = new Places(env);
    }

    public static void main(String[] args) throws Throwable {
        if (Boolean.getBoolean("coffer.archiving")) {
            loadAgentPath();
        }
        CommandLine line = CommandLine.parse(args, CommandLine.stdinTerminal());
        if (line.kind == CommandLine.Kind.SCRIPT_STDIN) {
            // the script is standard input: read here, so that the agent and this process run it alike
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            new FileInputStream(FileDescriptor.in).transferTo(text);
            String script = text.toString(StandardCharsets.UTF_8);
            args = line.noAgent ? new String[] {"--no-agent", "-c", script} : new String[] {"-c", script};
            line = CommandLine.parse(args, false);
        }
        Integer status = new Client(System.getenv()).answer(line);
        if (status != null) {
            System.exit(status);
        }
        Class.forName(LAUNCHER).getMethod("main", String[].class).invoke(null, (Object) args);
    }

    /**
     * The run that makes the class-data archive loads what a command through the agent
     * needs, whether an agent runs now or not, so that the archive holds it all.
     */
    private static void loadAgentPath() throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED);
            UnixDomainSocketAddress.of("/");
            new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        }
        // resolved, so loaded: what the conversation with the agent uses
        List.of(Wire.Request.class, AgentSocket.class, UnixDomainPrincipal.class, Console.class).forEach(Class::getName);
    }

    /** @return the exit status, or {@code null} when Coffer must start in this process */
    private Integer answer(CommandLine line) throws IOException {
        switch (line.kind) {
            case HELP:
                System.out.print(CommandLine.USAGE);
                return 0;
            case WRONG:
                STDERR.println("coffer: " + line.error);
                STDERR.print(CommandLine.USAGE);
                return 2;
            case AGENT_STATUS:
                return control(Wire.STATUS);
            case AGENT_STOP:
                return control(Wire.STOP);
            case COMMAND:
                return line.noAgent ? null : viaAgentOrStarted(Wire.COMMAND, line.words);
            case SCRIPT:
                return line.noAgent ? null : viaAgentOrStarted(Wire.SCRIPT, line.words);
            default:
                return null; // the shell and the service are Coffer itself
        }
    }

    /** {@code agent status} and {@code agent stop}. */
    private int control(byte kind) throws IOException {
        Integer status = viaAgent(kind, List.of());
        if (kind == Wire.STATUS) {
            if (status == null) {
                System.out.println("no agent is running for " + places.state() + " (the next command starts one; coffer run starts one that stays)");
            }
            otherAgents();
            return status != null ? status : 3;
        }
        if (status == null) {
            STDERR.println("coffer: no agent is running for " + places.state());
        }
        return status != null ? status : 0;
    }

    /** The user's agents for other state folders, which share this one's folder. */
    private void otherAgents() {
        Path folder = places.runtime();
        String own = AgentLock.holder(AgentLock.file(places, folder)).orElse("");
        List<String> others = new java.util.ArrayList<>(AgentLock.running(folder));
        others.remove(own);
        for (String other : others) {
            System.out.println("also running: " + other);
        }
    }

    /**
     * Through the agent; when none runs for this state folder and {@link AgentSettings}
     * allow it, through one started now ({@link AgentStarter}).
     *
     * @return the command's exit status, or {@code null} when Coffer must start in this process
     */
    private Integer viaAgentOrStarted(byte kind, List<String> words) throws IOException {
        Integer status = viaAgent(kind, words);
        String install = System.getProperty("coffer.install");
        if (status != null || install == null || AgentSocket.unavailable() != null) {
            return status;
        }
        Path folder;
        AgentSettings settings;
        try {
            folder = new AgentSocket(places).folder();
            settings = AgentSettings.read(Path.of(install), places, env);
        } catch (IOException notPrivate) {
            return null; // said when the socket was looked for
        } catch (IllegalArgumentException broken) {
            STDERR.println("coffer: " + broken.getMessage() + "; not starting an agent");
            return null;
        }
        Path lockFile = AgentLock.file(places, folder);
        if (!settings.autostart || AgentLock.holder(lockFile).isPresent()
                && (!AgentLock.onDemand(lockFile) || AgentStarter.serves(places))) {
            return null; // off, or an agent that sent the command back (another environment, or busy)
        }
        // none, or one a command started that does not serve yet: start it, or wait until it serves
        return new AgentStarter(places, env, Path.of(install), STDERR).start() ? viaAgent(kind, words) : null;
    }

    /** Says why no agent runs, once for the state folder: a note there records that it was said. */
    private void sayOnce(String why) {
        Path said = places.state().resolve("agent-unavailable.said");
        if (!Files.exists(said)) {
            STDERR.println("coffer: " + why);
            try {
                Files.writeString(Places.privateFolder(places.state()).resolve(said.getFileName()), why + "\n");
            } catch (IOException notWritable) {
                // said again next time
            }
        }
    }

    /** @return the command's exit status, or {@code null} when no agent serves this user here */
    private Integer viaAgent(byte kind, List<String> words) throws IOException {
        String noAgent = AgentSocket.unavailable();
        if (noAgent != null) {
            sayOnce(noAgent);
            return null;
        }
        Path socket;
        try {
            socket = new AgentSocket(places).find();
        } catch (IOException notPrivate) {
            STDERR.println("coffer: not using the agent: " + notPrivate.getMessage());
            return null;
        }
        if (socket == null || !Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (SocketException refused) {
                return null; // a socket left by an agent that was killed
            }
            // Windows tells no peer's user: there, the folder only its owner may enter is the check
            UnixDomainPrincipal peer = channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)
                    ? channel.getOption(ExtendedSocketOptions.SO_PEERCRED) : null;
            if (peer != null && !peer.user().equals(Files.getOwner(socket.getParent(), LinkOption.NOFOLLOW_LINKS))) {
                STDERR.println("coffer: the process at " + socket + " runs as " + peer.user().getName() + "; not using it");
                return null;
            }
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            try {
                request(kind, words).write(out);
            } catch (IOException gone) {
                return null;
            }
            return converse(in, out, AgentLock.pid(AgentLock.file(places, places.runtime())));
        }
    }

    private Wire.Request request(byte kind, List<String> words) {
        Map<String, String> forwarded = new HashMap<>();
        for (String name : Wire.FORWARDED) {
            String value = env.get(name);
            if (value != null) {
                forwarded.put(name, value);
            }
        }
        String install = System.getProperty("coffer.install", "");
        return new Wire.Request(kind, words, forwarded, Path.of("").toAbsolutePath().toString(),
                System.console() != null, Wire.fingerprint(install, env));
    }

    /** Plays the agent's frames until the exit status; {@code null} if the agent sends the command back. */
    private static Integer converse(DataInputStream in, DataOutputStream out, Optional<Long> agent) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        // a read of standard input blocks however the agent fares: its end while this client
        // waits there ends the client at once (the agent, waiting for the input, sent no exit status)
        AtomicBoolean waiting = new AtomicBoolean();
        agent.flatMap(ProcessHandle::of).ifPresent(process -> process.onExit().thenRun(() -> {
            if (waiting.get()) {
                STDERR.println("coffer: the agent stopped before the command finished; it may or may not have taken effect");
                System.exit(Wire.FAILED); // not halt: the console's hook gives the terminal its echo back
            }
        }));
        try {
            while (true) {
                byte type = in.readByte();
                switch (type) {
                    case Wire.OUT:
                        stdout.write(Wire.readBytes(in));
                        break;
                    case Wire.ERR:
                        STDERR.write(Wire.readBytes(in));
                        break;
                    case Wire.PROMPT:
                        String prompt = Wire.readString(in);
                        waiting.set(true);
                        answer(out, prompt);
                        waiting.set(false);
                        break;
                    case Wire.READ:
                        int max = Math.min(in.readInt(), 1 << 16);
                        byte[] buffer = new byte[Math.max(max, 1)];
                        waiting.set(true);
                        int read = stdin.read(buffer, 0, max);
                        waiting.set(false);
                        Wire.writeBytes(out, read < 0 ? null : Arrays.copyOf(buffer, read));
                        Arrays.fill(buffer, (byte) 0);
                        out.flush();
                        break;
                    case Wire.EXIT:
                        return in.readInt();
                    case Wire.REFUSED:
                        Wire.readString(in);
                        return null;
                    default:
                        throw new IOException("unknown frame " + type);
                }
            }
        } catch (EOFException | SocketException e) {
            STDERR.println("coffer: the agent stopped before the command finished; it may or may not have taken effect");
            return Wire.FAILED;
        } catch (IOException e) {
            STDERR.println("coffer: talking to the agent failed: " + e.getMessage());
            return Wire.FAILED;
        }
    }

    /** A secret typed without echo at this terminal goes to the agent, never on a command line. */
    private static void answer(DataOutputStream out, String prompt) throws IOException {
        Console console = System.console();
        char[] typed = console == null ? null : console.readPassword("%s", prompt);
        byte[] bytes = null;
        if (typed != null) {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
            bytes = Arrays.copyOf(encoded.array(), encoded.limit());
            Arrays.fill(encoded.array(), (byte) 0);
            Arrays.fill(typed, '\0');
        }
        Wire.writeBytes(out, bytes);
        out.flush();
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
