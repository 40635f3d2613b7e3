package org.coffer;

import java.nio.file.Path;
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
     * Parses a configuration file with the highest-ranked format that accepts it.
     *
     * @param file the file
     * @return the parsed document with its secret references
     * @throws ConfigFormatException naming the file, line and what was expected
     * @throws CofferException if no format accepts the file
     */
    org.coffer.spi.ConfigDocument read(Path file);

    /** @return why the last reload failed (the last good configuration stays published), or empty */
    Optional<String> lastError();
}
