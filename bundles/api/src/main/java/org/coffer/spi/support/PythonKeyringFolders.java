package org.coffer.spi.support;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Python's keyring keeps its files and its {@code keyringrc.cfg}, as its
 * {@code keyring.util.platform_} finds them: {@code $XDG_DATA_HOME/python_keyring} (else
 * {@code ~/.local/share/python_keyring}) and {@code $XDG_CONFIG_HOME/python_keyring}
 * (else {@code ~/.config/python_keyring}); on Windows both are
 * {@code %LOCALAPPDATA%\Python Keyring} (else {@code %ProgramData%}, else the current
 * folder).
 */
public final class PythonKeyringFolders {

    /** Whether this JVM runs on Windows, where the folders differ. */
    public static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    private PythonKeyringFolders() {
    }

    /**
     * @param environment an environment
     * @return the folder of the file keyrings of keyrings.alt and keyrings.cryptfile
     */
    public static Path data(Map<String, String> environment) {
        return WINDOWS ? windows(environment) : xdg(environment, "XDG_DATA_HOME", ".local/share");
    }

    /**
     * @param environment an environment
     * @return the folder of {@code keyringrc.cfg}
     */
    public static Path config(Map<String, String> environment) {
        return WINDOWS ? windows(environment) : xdg(environment, "XDG_CONFIG_HOME", ".config");
    }

    private static Path xdg(Map<String, String> environment, String variable, String underHome) {
        String set = environment.get(variable);
        Path root = set != null && !set.isBlank() ? Path.of(set) : UserHome.of(environment).resolve(underHome);
        return root.resolve("python_keyring");
    }

    private static Path windows(Map<String, String> environment) {
        String root = environment.get("LOCALAPPDATA");
        if (root == null || root.isBlank()) {
            root = environment.getOrDefault("ProgramData", ".");
        }
        return Path.of(root, "Python Keyring");
    }
}
