package org.coffer.provider.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The pinned backend as the provider's configuration (PID {@code org.coffer.provider})
 * stores it, so that a pin made in the shell or on the Web Console outlives a restart.
 */
final class StoredPin {

    static final String PINNED = "pinned.backend";

    private final ConfigurationAdmin configurationAdmin;

    StoredPin(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /** Without a pin of Coffer's own, the backend Python's keyring was told to use. */
    static String orPythonChoice(String pin) {
        return pin != null && !pin.isBlank() ? pin : PythonKeyringChoice.of(System.getenv()).orElse(pin);
    }

    /**
     * The pin as stored now: configuration events arrive late and in any order, so the
     * store, not the event, tells what counts.
     */
    Optional<String> read() {
        try {
            Dictionary<String, Object> properties = configuration().getProperties();
            Object pin = properties == null ? null : properties.get(PINNED);
            return Optional.ofNullable(pin == null ? null : pin.toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stores a pin; the empty name stores "automatic". */
    void write(String name) {
        try {
            Configuration configuration = configuration();
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                properties = new Hashtable<>();
            }
            properties.put(PINNED, name);
            configuration.updateIfDifferent(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the pinned backend in the configuration "
                    + KeyringProvider.PID, e);
        }
    }

    private Configuration configuration() throws IOException {
        return configurationAdmin.getConfiguration(KeyringProvider.PID, "?");
    }
}
