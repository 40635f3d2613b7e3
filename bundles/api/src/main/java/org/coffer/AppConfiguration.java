package org.coffer;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The application configuration file Coffer serves, as Resilient Circuits finds its
 * app.config: {@code APP_CONFIG_FILE}, else {@code ./app.config}, else
 * {@code ~/.resilient/app.config}, unless an administrator names a file. Each section is
 * published as an OSGi configuration whose secret references are resolved only in what
 * is delivered to components.
 */
@ProviderType
public interface AppConfiguration {

    /** @return the file in use, or empty when none was found */
    Optional<Path> file();

    /**
     * Finds the app.config a user means, as Resilient finds it for them: the file an
     * administrator named, else their {@code APP_CONFIG_FILE}, else {@code app.config} in
     * their working folder, else {@code $HOME/.resilient/app.config}, else {@link #file()}.
     * A command run for another process (a client of the agent) passes that process's
     * environment and folder.
     *
     * @param environment the user's environment
     * @param workingFolder the user's working folder, against which relative names resolve
     * @return the file, or empty when none was found
     */
    default Optional<Path> find(Map<String, String> environment, Path workingFolder) {
        return file();
    }

    /**
     * Parses a configuration file with the highest-ranked format that accepts it.
     *
     * @param file the file
     * @return the parsed document with its secret references
     * @throws ConfigFormatException naming the file, line and what was expected
     * @throws CofferException if no format accepts the file
     */
    ConfigDocument read(Path file);

    /** @return why the last reload failed (the last good configuration stays published), or empty */
    Optional<String> lastError();
}
