package org.coffer.launcher;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs commands through Gogo's {@code CommandProcessor}, called reflectively since its
 * API lives in a bundle. The same code serves a one-shot in this process and a command
 * the agent runs for a client, so both print and exit alike. Each command sees the
 * session variables {@value #ENV} (the caller's environment), {@value #CWD} (its working
 * folder) and, when a person types at the caller's terminal, {@value #PROMPT}: a
 * {@code Function<String, char[]>} that reads a secret without echo.
 */
final class Gogo {

    static final String STATUS = "coffer.status";
    static final String ENV = "coffer.env";
    static final String CWD = "coffer.cwd";
    static final String PROMPT = "coffer.prompt";
    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";

    private final Object processor;
    private final Method createSession;
    private final Method put;
    private final Method get;
    private final Method execute;
    private final Method format;
    private final Method close;

    Gogo(Object processor) throws ReflectiveOperationException {
        this.processor = processor;
        ClassLoader loader = processor.getClass().getClassLoader();
        Class<?> type = Class.forName(PROCESSOR, false, loader);
        Class<?> session = loader.loadClass("org.apache.felix.service.command.CommandSession");
        this.createSession = type.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class);
        this.put = session.getMethod("put", String.class, Object.class);
        this.get = session.getMethod("get", String.class);
        this.execute = session.getMethod("execute", CharSequence.class);
        this.format = session.getMethod("format", Object.class, int.class);
        this.close = session.getMethod("close");
    }

    /** Where a command reads and writes, and what it may know of its caller. */
    static final class Caller {
        final InputStream in;
        final PrintStream out;
        final PrintStream err;
        final Map<String, String> env;
        final String cwd;
        final Function<String, char[]> prompt;

        Caller(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, String cwd,
                Function<String, char[]> prompt) {
            this.in = in;
            this.out = out;
            this.err = err;
            this.env = env;
            this.cwd = cwd;
            this.prompt = prompt;
        }
    }

    /**
     * @param words the command and its arguments, each taken literally
     * @param caller the caller
     * @return the exit status: 0 done, 1 not found or failed, 2 wrong usage
     */
    int command(List<String> words, Caller caller) throws Exception {
        Map<String, Object> variables = new HashMap<>();
        String line = commandLine(coffersHelp(words), variables);
        return run(List.of(line), variables, caller);
    }

    /**
     * @param script lines of commands
     * @param caller the caller
     * @return the worst exit status of its commands
     */
    int script(String script, Caller caller) throws Exception {
        return run(List.of(script.split("\\R")), Map.of(), caller);
    }

    private int run(List<String> lines, Map<String, Object> variables, Caller caller) throws Exception {
        Object session = createSession.invoke(processor, caller.in, caller.out, caller.err);
        put.invoke(session, ENV, caller.env);
        put.invoke(session, CWD, caller.cwd);
        if (caller.prompt != null) {
            put.invoke(session, PROMPT, caller.prompt);
        }
        for (Map.Entry<String, Object> variable : variables.entrySet()) {
            put.invoke(session, variable.getKey(), variable.getValue());
        }
        int worst = 0;
        try {
            for (String line : lines) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    worst = Math.max(worst, execute(session, line, caller));
                }
            }
            return worst;
        } finally {
            close.invoke(session);
            caller.out.flush();
            caller.err.flush();
        }
    }

    private int execute(Object session, String line, Caller caller) throws Exception {
        put.invoke(session, STATUS, 0);
        try {
            Object result = execute.invoke(session, line);
            if (result != null) {
                caller.out.println(format.invoke(session, result, 0));
            }
            Object status = get.invoke(session, STATUS);
            return status instanceof Integer ? (Integer) status : 0;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (Boolean.getBoolean("coffer.debug")) {
                cause.printStackTrace(caller.err);
            }
            String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            if (message.startsWith("Cannot coerce ")) {
                String name = line.strip().split("\\s+")[0];
                caller.err.println("coffer: wrong arguments for " + name);
                caller.err.print(usage(name));
                return 2;
            }
            caller.err.println("coffer: " + message);
            return message.startsWith("Command not found") || cause instanceof IllegalArgumentException ? 2 : 1;
        }
    }

    /** @return Gogo's {@code help} text of the command */
    private String usage(String name) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        Object session = createSession.invoke(processor, InputStream.nullInputStream(), out, out);
        try {
            Object result = execute.invoke(session, "help " + name);
            if (result != null) {
                out.println(format.invoke(session, result, 0));
            }
        } catch (InvocationTargetException e) {
            if (Boolean.getBoolean("coffer.debug")) {
                e.getCause().printStackTrace();
            }
            return "";
        } finally {
            close.invoke(session);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /** {@code help keyring:get} is the command's own usage, as {@code keyring:get --help} prints it. */
    static List<String> coffersHelp(List<String> words) {
        if (words.size() == 2 && words.get(0).equals("help")
                && (words.get(1).startsWith("keyring:") || words.get(1).startsWith("credentials:"))) {
            return List.of(words.get(1), "--help");
        }
        return words;
    }

    /**
     * The first word is the command. Others that are plain words stay in the line; the
     * rest become session variables, so that Gogo takes them literally whatever they
     * contain (quotes, spaces, dollars).
     */
    static String commandLine(List<String> words, Map<String, Object> variables) {
        StringBuilder line = new StringBuilder(words.get(0));
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.isEmpty() && word.matches("[A-Za-z0-9_.:/@=+,-]+")) {
                line.append(' ').append(word);
            } else {
                String name = "coffer_arg" + i;
                variables.put(name, word);
                line.append(" $").append(name);
            }
        }
        return line.toString();
    }
}
