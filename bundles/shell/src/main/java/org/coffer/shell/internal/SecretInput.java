package org.coffer.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.felix.service.command.CommandSession;

/**
 * Reads a secret the way Python's keyring does: without echo from a terminal, or from
 * standard input when it is not a terminal (all of it, less one trailing newline).
 */
final class SecretInput {

    /** Set by the launcher when its session is attached to a terminal. */
    static final String CONSOLE = "coffer.console";
    // where the Gogo jline shell keeps its terminal (Shell.VAR_TERMINAL)
    private static final String JLINE_TERMINAL = ".terminal";

    private final CommandSession session;

    SecretInput(CommandSession session) {
        this.session = session;
    }

    /** @return whether a person is typing, so that a confirmation makes sense */
    boolean interactive() {
        return session.get(JLINE_TERMINAL) != null || (Boolean.TRUE.equals(session.get(CONSOLE)) && System.console() != null);
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
        Object terminal = session.get(JLINE_TERMINAL);
        if (terminal != null) {
            return JlinePrompt.read(terminal, prompt);
        }
        Console console = System.console();
        if (Boolean.TRUE.equals(session.get(CONSOLE)) && console != null) {
            char[] typed = console.readPassword("%s", prompt);
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
