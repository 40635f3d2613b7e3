package org.coffer.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs Coffer interoperates with, installed from Debian packages. Under
 * {@code CI=true} a missing peer fails the test; elsewhere the test is skipped with a
 * loud message.
 */
public final class Peers {

    /** Debian's Python, which has Debian's keyring packages (not a virtualenv's). */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private Peers() {
    }

    /** @return whether this run is CI, where missing peers are failures */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Requires Debian's Python with the given modules importable.
     *
     * @param debianPackage the package that provides them, for the message
     * @param modules the modules
     */
    public static void requirePython(String debianPackage, String... modules) {
        StringBuilder imports = new StringBuilder("import sys");
        for (String module : modules) {
            imports.append("; import ").append(module);
        }
        boolean present;
        try {
            present = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", imports.toString()), Map.of(), null).exit == 0;
        } catch (RuntimeException e) {
            present = false;
        }
        require(present, "Debian's " + PYTHON + " with " + String.join(", ", modules)
                + " (apt-get install " + debianPackage + ")");
    }

    /**
     * Requires a peer to be present: fails under CI, skips loudly elsewhere.
     *
     * @param present whether it is
     * @param what what is missing and how to install it
     */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String message = "INTEROP PEER MISSING: " + what;
        if (ci()) {
            throw new AssertionError(message + " (CI=true: interop tests must not be skipped)");
        }
        System.err.println("*** " + message + ": skipping this interop test ***");
        Assumptions.abort(message);
    }

    /**
     * Runs a Python script with Debian's Python and returns its standard output; fails
     * with its standard error if it exits non-zero.
     *
     * @param env extra environment variables
     * @param stdin text for standard input, or {@code null}
     * @param script the script
     * @param args its arguments
     * @return standard output
     */
    public static String python(Map<String, String> env, String stdin, String script, String... args) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(List.of(args));
        Processes.Result result = run(command, env, stdin);
        if (result.exit != 0) {
            throw new AssertionError("python exited " + result.exit + ": " + result.stderr);
        }
        return result.stdout;
    }

    /**
     * Runs a command.
     *
     * @param command the command and its arguments
     * @param env extra environment variables
     * @param stdin text for standard input, or {@code null}
     * @return its exit status and output
     */
    public static Processes.Result run(List<String> command, Map<String, String> env, String stdin) {
        return Processes.run(command, env, stdin);
    }
}
