package org.coffer.spi.support;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The folder where Coffer keeps files of its own ({@code conf/credentials.xml}, {@code
 * conf/credentialprovider.password}) when no configuration names them, in whatever
 * container it runs:
 * <ol>
 * <li>the framework or system property {@code coffer.home} (the Felix launcher sets it
 * to the user's state folder), its {@code conf} folder;</li>
 * <li>in Karaf, {@code karaf.etc}, beside the container's other configuration;</li>
 * <li>else the per-user state folder: {@code $COFFER_STATE}, else {@code
 * $XDG_STATE_HOME/coffer}, else {@code ~/.local/state/coffer}, its {@code conf} folder.</li>
 * </ol>
 */
public final class CofferHome {

    private CofferHome() {
    }

    /**
     * @param properties the framework properties (which fall back to the system properties)
     * @param environment the process environment
     * @return the folder for Coffer's own configuration files
     */
    public static Path conf(UnaryOperator<String> properties, Map<String, String> environment) {
        String home = properties.apply("coffer.home");
        if (present(home)) {
            return Path.of(home).resolve("conf");
        }
        String karafEtc = properties.apply("karaf.etc");
        if (present(karafEtc)) {
            return Path.of(karafEtc);
        }
        return state(environment).resolve("conf");
    }

    /**
     * @param environment the process environment
     * @return the user's state folder for Coffer
     */
    public static Path state(Map<String, String> environment) {
        String explicit = environment.get("COFFER_STATE");
        if (present(explicit)) {
            return Path.of(explicit);
        }
        String xdg = environment.get("XDG_STATE_HOME");
        Path root = present(xdg) ? Path.of(xdg) : UserHome.of(environment).resolve(".local").resolve("state");
        return root.resolve("coffer");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
