package org.coffer;

import java.util.List;
import java.util.Objects;

/** One option value as written in a file, with the secret references found in it. */
public final class ConfigValue {

    private final String raw;
    private final int line;
    private final List<SecretReference> references;

    /**
     * @param raw the value as written (after the format's own unquoting)
     * @param line the 1-based line of the option
     * @param references the references in the value, in order
     */
    public ConfigValue(String raw, int line, List<SecretReference> references) {
        this.raw = Objects.requireNonNull(raw, "raw");
        this.line = line;
        this.references = List.copyOf(references);
    }

    /** @return the value as written */
    public String raw() {
        return raw;
    }

    /** @return the 1-based line of the option */
    public int line() {
        return line;
    }

    /** @return the references in the value, in order */
    public List<SecretReference> references() {
        return references;
    }

    @Override
    public String toString() {
        return references.isEmpty() ? "ConfigValue[" + line + "]" : "ConfigValue[" + line + ", " + references + "]";
    }
}
