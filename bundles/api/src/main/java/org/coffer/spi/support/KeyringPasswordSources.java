package org.coffer.spi.support;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables that hold a keyring's password, where an encrypted keyring
 * finds it without asking anybody; a command run for another process (a client of the
 * agent) reads them in that process's environment.
 */
public final class KeyringPasswordSources {

    /** Python keyrings.cryptfile's variable, Resilient's service variable and Coffer's own, in the order they are read. */
    public static final List<String> VARIABLES = List.of("KEYRING_CRYPTFILE_PASSWORD", "RES_KEYRING_PASSWORD",
            "COFFER_KEYRING_PASSWORD");

    private KeyringPasswordSources() {
    }

    /**
     * @param environment an environment
     * @return the name of the first variable that holds a password, if any
     */
    public static Optional<String> variable(Map<String, String> environment) {
        return VARIABLES.stream().filter(name -> {
            String value = environment.get(name);
            return value != null && !value.isEmpty();
        }).findFirst();
    }
}
