package org.coffer.spi;

import java.nio.file.Path;
import org.coffer.ConfigDocument;
import org.coffer.ConfigFormatException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A parser, and where the provider must save, a writer, for one configuration file
 * format. Registered with a {@code service.ranking}; for a file, the highest-ranked
 * format that {@linkplain #accepts accepts} it wins.
 */
@ConsumerType
public interface ConfigFormat {

    /** @return a short name, for example {@code ini} or {@code xml} */
    String name();

    /**
     * @param file a file name or path
     * @return whether this format reads such files
     */
    boolean accepts(Path file);

    /**
     * Parses a file, finding the secret references in its values. The file is not
     * changed.
     *
     * @param file the file
     * @return the parsed document
     * @throws ConfigFormatException naming the file, line and what was expected
     */
    ConfigDocument read(Path file);

    /**
     * Writes a document back, atomically, keeping what the format does not model.
     *
     * @param file the file
     * @param document the document to write
     * @throws UnsupportedOperationException if this format is read-only
     */
    default void write(Path file, ConfigDocument document) {
        throw new UnsupportedOperationException(name() + " files are read-only");
    }
}
