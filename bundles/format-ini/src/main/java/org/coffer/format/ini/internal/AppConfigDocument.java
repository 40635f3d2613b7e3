package org.coffer.format.ini.internal;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coffer.ConfigDocument;
import org.coffer.ConfigValue;

/** A parsed app.config: its sections and values with their references, and the text it was read from. */
final class AppConfigDocument implements ConfigDocument {

    private final Path file;
    private final String text;
    private final Map<String, Map<String, ConfigValue>> sections;

    AppConfigDocument(Path file, String text, Map<String, Map<String, ConfigValue>> sections) {
        this.file = file;
        this.text = text;
        this.sections = sections;
    }

    @Override
    public Path file() {
        return file;
    }

    /** @return the text as read, so that nothing is lost if the file is ever written back */
    String text() {
        return text;
    }

    @Override
    public List<String> sections() {
        return List.copyOf(sections.keySet());
    }

    @Override
    public Map<String, ConfigValue> options(String section) {
        Map<String, ConfigValue> options = sections.get(section);
        return options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public String toString() {
        return "AppConfigDocument[" + file + ", sections=" + sections.keySet() + "]";
    }
}
