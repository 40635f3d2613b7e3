package org.coffer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/** A parsed configuration file: named sections of options whose values may hold references. */
@ConsumerType
public interface ConfigDocument {

    /** @return the file it was read from */
    Path file();

    /** @return the section names in file order */
    List<String> sections();

    /**
     * @param section a section name
     * @return its options in file order, empty if there is no such section
     */
    Map<String, ConfigValue> options(String section);
}
