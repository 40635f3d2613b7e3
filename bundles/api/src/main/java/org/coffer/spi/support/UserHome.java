package org.coffer.spi.support;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's home folder as Python and Resilient find it: {@code $HOME} when it is set
 * (Python's {@code os.path.expanduser}), else the passwd entry Java reports. Every path
 * Coffer derives from {@code ~} starts here, so {@code HOME=/elsewhere} moves them all.
 * On Windows, {@code %USERPROFILE%} stands for {@code $HOME}, as in Python.
 */
public final class UserHome {

    private UserHome() {
    }

    /** @return the home folder of this process's environment */
    public static Path of() {
        return of(System.getenv());
    }

    /**
     * @param environment an environment
     * @return its {@code HOME} ({@code USERPROFILE} on Windows), else the passwd entry's home folder
     */
    public static Path of(Map<String, String> environment) {
        // Python on Windows reads USERPROFILE, not HOME
        String home = environment.get(PythonKeyringFolders.WINDOWS ? "USERPROFILE" : "HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }
}
