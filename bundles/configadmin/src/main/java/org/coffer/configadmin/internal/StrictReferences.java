package org.coffer.configadmin.internal;

import java.nio.file.Path;
import org.coffer.CofferException;
import org.coffer.ConfigValue;
import org.coffer.CredentialProvider;
import org.coffer.SecretReference;

/** app.config's strict mode: a reference that finds nothing stops the reload, naming the line. */
final class StrictReferences {

    private final CredentialProvider provider;

    StrictReferences(CredentialProvider provider) {
        this.provider = provider;
    }

    /**
     * @param file the app.config, for the message
     * @param section the section of the option
     * @param option the option's name
     * @param value its value, whose references are resolved and their secrets destroyed at once
     * @throws CofferException if a reference finds nothing
     */
    void check(Path file, String section, String option, ConfigValue value) {
        for (SecretReference reference : value.references()) {
            boolean found;
            try {
                found = provider.resolve(reference.toString()).map(s -> {
                    s.destroy();
                    return true;
                }).orElse(false);
            } catch (CofferException e) {
                found = false;
            }
            if (!found) {
                throw new CofferException(file + ", line " + value.line() + ": [" + section + "] " + option
                        + " refers to " + reference + ", which finds nothing (strict mode)");
            }
        }
    }
}
