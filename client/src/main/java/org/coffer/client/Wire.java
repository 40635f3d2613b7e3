package org.coffer.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What crosses the agent's socket. The client sends one {@link Request}; the agent
 * answers with frames: output ({@link #OUT}, {@link #ERR}), questions the client
 * answers ({@link #PROMPT}: a secret typed without echo; {@link #READ}: bytes of
 * standard input, read only when the command asks, as in-process), and last
 * {@link #EXIT} with the status, or {@link #REFUSED} when this agent cannot serve the
 * client (its environment names other keyrings) and the client runs the command itself.
 */
public final class Wire {

    /** The first four bytes of a request: "CFR1". */
    public static final int MAGIC = 0x43465231;

    public static final byte OUT = 1;
    public static final byte ERR = 2;
    public static final byte PROMPT = 3;
    public static final byte READ = 4;
    public static final byte EXIT = 5;
    public static final byte REFUSED = 6;

    /** A command line, its arguments as separate words. */
    public static final byte COMMAND = 1;
    /** Gogo script text: {@code -c} or standard input. */
    public static final byte SCRIPT = 2;
    /** {@code agent status}. */
    public static final byte STATUS = 3;
    /** {@code agent stop}. */
    public static final byte STOP = 4;

    /** The exit status of a command the agent could not finish. */
    public static final int FAILED = 1;

    /**
     * Variables that decide which keyrings and files Coffer uses. The agent serves a
     * client only when they are the same for both; their values never cross the socket,
     * only {@link Places#digest} of them, which tells environments apart (it is no
     * cryptographic hash: the peer is a process of the same user, checked by uid).
     */
    public static final List<String> IDENTITY = List.of("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
            "KEYRING_CRYPTFILE_PATH", "DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "COFFER_MASTER_PASSWORD",
            "APP_CONFIG_FILE");

    /** Variables a command reads from the client's environment: passwords for a locked keyring, app.config. */
    public static final List<String> FORWARDED = List.of("HOME", "APP_CONFIG_FILE", "KEYRING_CRYPTFILE_PASSWORD",
            "COFFER_KEYRING_PASSWORD", "RES_KEYRING_PASSWORD");

    // a request holds a command line, a few variables and a script: bounded, so a peer cannot exhaust the agent
    static final int MAX_STRING = 1 << 20;
    static final int MAX_ITEMS = 1024;
    /** The most bytes a whole request may take: a script of {@code MAX_STRING} bytes and room for the rest. */
    public static final int MAX_REQUEST = 2 * MAX_STRING;
    // the first bytes set aside for a length a peer announces; more only as its bytes arrive
    private static final int FIRST_CHUNK = 8192;

    private Wire() {
    }

    /**
     * @param install the install folder the process runs from
     * @param env the process's environment
     * @return the digest of the install and of the {@link #IDENTITY} variables
     */
    public static String fingerprint(String install, Map<String, String> env) {
        StringBuilder text = new StringBuilder(install).append('\0');
        for (String name : IDENTITY) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                text.append(name).append('=').append(value).append('\0');
            }
        }
        return Places.digest(text.toString());
    }

    /** One request of a client. */
    public static final class Request {
        public final byte kind;
        public final List<String> words;
        public final Map<String, String> env;
        public final String cwd;
        public final boolean console;
        public final String fingerprint;

        /**
         * @param kind {@link #COMMAND}, {@link #SCRIPT}, {@link #STATUS} or {@link #STOP}
         * @param words the command and its arguments, or the script
         * @param env the {@link #FORWARDED} variables that are set
         * @param cwd the client's working folder
         * @param console whether a person types at the client's terminal
         * @param fingerprint the client's {@link Wire#fingerprint}
         */
        public Request(byte kind, List<String> words, Map<String, String> env, String cwd, boolean console,
                String fingerprint) {
            this.kind = kind;
            this.words = List.copyOf(words);
            this.env = Map.copyOf(env);
            this.cwd = cwd;
            this.console = console;
            this.fingerprint = fingerprint;
        }

        /** @param out where to write the request */
        public void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeByte(kind);
            out.writeInt(words.size());
            for (String word : words) {
                writeString(out, word);
            }
            Map<String, String> sorted = new TreeMap<>(env);
            out.writeInt(sorted.size());
            for (Map.Entry<String, String> variable : sorted.entrySet()) {
                writeString(out, variable.getKey());
                writeString(out, variable.getValue());
            }
            writeString(out, cwd);
            out.writeBoolean(console);
            writeString(out, fingerprint);
            out.flush();
        }

        /**
         * @param in where to read the request from
         * @return the request
         * @throws IOException if the bytes are not a request
         */
        public static Request read(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a Coffer client");
            }
            byte kind = in.readByte();
            int count = count(in);
            List<String> words = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                words.add(readString(in));
            }
            int variables = count(in);
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < variables; i++) {
                env.put(readString(in), readString(in));
            }
            return new Request(kind, words, env, readString(in), in.readBoolean(), readString(in));
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_ITEMS) {
            throw new IOException("a request with " + count + " items");
        }
        return count;
    }

    /** Writes a length and the UTF-8 bytes. */
    public static void writeString(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads what {@link #writeString} wrote. */
    public static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        if (bytes == null) {
            throw new EOFException("a string was missing");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes a length and the bytes; {@code null} is length -1. */
    public static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Reads what {@link #writeBytes} wrote; {@code null} for length -1. The buffer grows
     * only as the bytes arrive: a peer that announces a megabyte and sends nothing costs
     * {@value #FIRST_CHUNK} bytes, not the megabyte.
     */
    public static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_STRING) {
            throw new IOException("a frame of " + length + " bytes");
        }
        byte[] bytes = new byte[Math.min(length, FIRST_CHUNK)];
        int filled = 0;
        while (filled < length) {
            if (filled == bytes.length) {
                byte[] larger = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
                Arrays.fill(bytes, (byte) 0); // an answer to a prompt is a secret
                bytes = larger;
            }
            int read = in.read(bytes, filled, bytes.length - filled);
            if (read < 0) {
                Arrays.fill(bytes, (byte) 0);
                throw new EOFException("a frame ended after " + filled + " of its " + length + " bytes");
            }
            filled += read;
        }
        return bytes;
    }

    /**
     * How many bytes a request takes once all of them have arrived, told without parsing
     * it: the agent reads requests without a thread per connection, and parses one with
     * {@link Request#read} only when it is whole.
     *
     * @param bytes the bytes received so far, from the first
     * @param available how many of them are received
     * @return the length of the whole request, or -1 while bytes are missing
     * @throws IOException if the bytes are not a request, or announce more than the limits allow
     */
    public static int requestLength(byte[] bytes, int available) throws IOException {
        return RequestScan.length(ByteBuffer.wrap(bytes, 0, available));
    }
}
