package org.coffer.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coffer.files.OwnerOnly;

/**
 * Where one user's Coffer keeps its things, found from the environment as Python and the
 * XDG base directories find them: {@code $HOME} before the passwd entry, the state
 * folder ({@code COFFER_STATE}, else {@code $XDG_STATE_HOME/coffer}, else
 * {@code ~/.local/state/coffer}), the user's own {@code etc/}
 * ({@code $XDG_CONFIG_HOME/coffer/etc}) and the agent's folder
 * ({@code $XDG_RUNTIME_DIR/coffer}, else {@code agent} in the state folder: never in
 * the shared temp folder, where another user could make it first; {@link AgentSocket}).
 * On Windows, the state folder is {@code %LOCALAPPDATA%\coffer}, the user's {@code etc/}
 * is in it, and {@code %USERPROFILE%} is the home folder, as Python has it.
 */
public final class Places {

    private final Map<String, String> env;

    /** @param env the environment to read ({@code System.getenv()} or a client's) */
    public Places(Map<String, String> env) {
        this.env = env;
    }

    /** @return {@code $HOME} when set, as Python's {@code os.path.expanduser}, else the passwd entry */
    public Path home() {
        return Path.of(nonBlank(WINDOWS ? "USERPROFILE" : "HOME", System.getProperty("user.home")));
    }

    /** Whether this JVM runs on Windows, where the folders are those of Windows programs. */
    public static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    /** @return the user's state folder: framework cache, ConfigAdmin store, credentials */
    public Path state() {
        String explicit = env.get("COFFER_STATE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        if (WINDOWS) {
            return localAppData().resolve("coffer");
        }
        return xdg("XDG_STATE_HOME", ".local/state").resolve("coffer");
    }

    private Path localAppData() {
        return Path.of(nonBlank("LOCALAPPDATA", home().resolve("AppData").resolve("Local").toString()));
    }

    /** @return the user's configuration folder, whose {@code etc/} overrides the install's */
    public Path userEtc() {
        if (WINDOWS) {
            return localAppData().resolve("coffer").resolve("etc");
        }
        return xdg("XDG_CONFIG_HOME", ".config").resolve("coffer").resolve("etc");
    }

    /**
     * @return the agent's folder, which only its owner may enter: {@code $XDG_RUNTIME_DIR/coffer},
     *         else {@code agent} in the state folder
     */
    public Path runtime() {
        return runtimeDir() != null ? runtimeDir().resolve("coffer") : state().resolve("agent");
    }

    /**
     * @return the socket of the agent that serves this state folder, in {@link #runtime()};
     *         where that path is too long for a socket, {@link AgentSocket} finds the real one
     */
    public Path socket() {
        return runtimeDir() != null ? runtime().resolve("agent-" + digest(state().toString()) + ".sock")
                : runtime().resolve("agent.sock");
    }

    private Path runtimeDir() {
        String xdg = env.get("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : null;
    }

    private Path xdg(String variable, String fallback) {
        String value = env.get(variable);
        // the XDG spec: a relative path is invalid and ignored
        if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
            return Path.of(value);
        }
        return home().resolve(fallback);
    }

    private String nonBlank(String variable, String fallback) {
        String value = env.get(variable);
        return value != null && !value.isBlank() ? value : fallback;
    }

    /**
     * Creates the folder (and its parents) if missing, its owner's only, and checks that it is
     * a real folder of this user's that no one else can enter: a folder planted by
     * another user, or a symbolic link, is refused.
     *
     * @param folder the folder
     * @return the folder
     * @throws IOException if it cannot be created, or is not private to this user
     */
    public static Path privateFolder(Path folder) throws IOException {
        Path parent = folder.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(folder, OwnerOnly.folder());
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
        String notOwn = OwnerOnly.whyNotOwn(folder);
        if (notOwn != null) {
            throw new IOException(notOwn);
        }
        if (OwnerOnly.whyNotPrivate(folder) != null) {
            OwnerOnly.restrictFolder(folder);
        }
        return folder;
    }

    /** @return this process's user id: the owner of {@code /proc/self}, else of a file it makes */
    public static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException noProc) {
            try {
                Path probe = Files.createTempFile("coffer-uid", "");
                try {
                    return (Integer) Files.getAttribute(probe, "unix:uid");
                } finally {
                    Files.delete(probe);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot tell this process's user id", e);
            }
        }
    }

    /**
     * A short stable name for a text (FNV-1a, 64 bits, in hex). It tells things apart (a
     * state folder's socket, an environment, an install's jars) and protects nothing, so
     * it costs a client start nothing: no security provider is loaded for it.
     *
     * @param text the text
     * @return sixteen hex digits
     */
    public static String digest(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
