package org.coffer.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Process;

/**
 * Reads a secret the way Python's keyring does: without echo from a terminal, or from
 * standard input when it is not a terminal (all of it, less one trailing newline). It
 * works on every Gogo console: the JLine shell (Felix's, Karaf's), the plain shell on
 * the JVM's console (Equinox's usual one), a pipe inside the shell ({@code echo s3cret |
 * keyring:set svc bob}, read from the command's own input), and Coffer's launcher and
 * agent, which pass a prompt of the caller's terminal.
 */
final class SecretInput {

    /**
     * Set by the launcher when a person types at the caller's terminal (this process's,
     * or a client's of the agent): a {@code Function<String, char[]>} that shows the
     * prompt and reads a secret without echo, {@code null} when nothing was typed.
     */
    static final String PROMPT = "coffer.prompt";
    /** Set by the launcher: the caller's environment, a {@code Map<String, String>}. */
    static final String ENV = "coffer.env";
    /** Set by the launcher: the caller's working folder. */
    static final String CWD = "coffer.cwd";
    // where the Gogo jline shell (Shell.VAR_TERMINAL) and Karaf's console keep their terminal
    private static final String[] JLINE_TERMINALS = {".terminal", ".jline.terminal"};

    private final CommandSession session;

    SecretInput(CommandSession session) {
        this.session = session;
    }

    /** @return whether a person is typing, so that a confirmation makes sense */
    boolean interactive() {
        return pipe() == null
                && (terminal() != null || session.get(PROMPT) instanceof Function || console() != null);
    }

    private Object terminal() {
        for (String name : JLINE_TERMINALS) {
            Object terminal = session.get(name);
            if (terminal != null) {
                return terminal;
            }
        }
        return null;
    }

    /** @return the command's own input when a pipe inside the shell feeds it, else null */
    private static InputStream pipe() {
        Process process = Process.Utils.current();
        return process != null && !process.isTty(0) ? process.in() : null;
    }

    /** @return the JVM's console, which the plain Gogo shell reads, when the JVM runs on a terminal */
    private static Console console() {
        return System.console();
    }

    /**
     * @param prompt the prompt shown on the terminal
     * @return the secret; the caller clears it
     * @throws IOException if the input failed or ended before a value
     */
    char[] read(String prompt) throws IOException {
        return read(prompt, true);
    }

    /**
     * Like {@link #read(String)}, but takes only the first line of standard input, as a
     * keyring password piped to a service is given.
     *
     * @param prompt the prompt shown on the terminal
     * @return the secret; the caller clears it
     * @throws IOException if the input failed or ended before a value
     */
    char[] readLine(String prompt) throws IOException {
        return read(prompt, false);
    }

    private char[] read(String prompt, boolean wholeInput) throws IOException {
        InputStream pipe = pipe();
        if (pipe != null) {
            return wholeInput ? readAll(pipe) : firstLine(pipe);
        }
        Object terminal = terminal();
        if (terminal != null) {
            return JlinePrompt.read(terminal, prompt);
        }
        Object callerPrompt = session.get(PROMPT);
        if (callerPrompt instanceof Function) {
            @SuppressWarnings("unchecked")
            char[] typed = ((Function<String, char[]>) callerPrompt).apply(prompt);
            if (typed == null) {
                throw new IOException("No value was entered");
            }
            return typed;
        }
        Console jvmConsole = console();
        if (jvmConsole != null) {
            char[] typed = jvmConsole.readPassword("%s", prompt);
            if (typed == null) {
                throw new IOException("No value was entered");
            }
            return typed;
        }
        if (wholeInput) {
            return readAll(session.getKeyboard());
        }
        // a transcript of scripted answers still shows what was asked
        session.getConsole().println(prompt.stripTrailing());
        return firstLine(session.getKeyboard());
    }

    /**
     * @param session the command's session
     * @param name a variable's name
     * @return the variable in the caller's environment (the agent's client's, or this process's)
     */
    static String env(CommandSession session, String name) {
        String value = env(session).get(name);
        return value != null && !value.isEmpty() ? value : null;
    }

    /** @return the caller's environment: the agent's client's, or this process's */
    @SuppressWarnings("unchecked")
    static Map<String, String> env(CommandSession session) {
        Object env = session.get(ENV);
        return env instanceof Map ? (Map<String, String>) env : System.getenv();
    }

    /** @return the caller's working folder */
    static java.nio.file.Path cwd(CommandSession session) {
        Object cwd = session.get(CWD);
        return cwd instanceof String ? java.nio.file.Path.of((String) cwd) : java.nio.file.Path.of("").toAbsolutePath();
    }

    /** One line of standard input as UTF-8, without its line break; reads no further. */
    static char[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            buffer.write(b);
        }
        if (b < 0 && buffer.size() == 0) {
            throw new IOException("Standard input ended before a password");
        }
        return strip(buffer.toByteArray(), false);
    }

    /** All of standard input as UTF-8, less one trailing newline, as Python's keyring reads a pipe. */
    static char[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return strip(buffer.toByteArray(), true);
    }

    private static char[] strip(byte[] bytes, boolean newline) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        int end = chars.limit();
        if (newline && end > chars.position() && chars.get(end - 1) == '\n') {
            end--;
        }
        if (end > chars.position() && chars.get(end - 1) == '\r') {
            end--;
        }
        char[] value = Arrays.copyOfRange(chars.array(), chars.position(), end);
        Arrays.fill(chars.array(), '\0');
        return value;
    }
}
