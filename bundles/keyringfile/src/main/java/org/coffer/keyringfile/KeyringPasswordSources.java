package org.coffer.keyringfile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where an encrypted keyring finds its password without asking anybody. */
public final class KeyringPasswordSources {

    /** Python keyrings.cryptfile's variable, Resilient's service variable and Coffer's own, in the order they are read. */
    public static final List<String> VARIABLES = List.of("KEYRING_CRYPTFILE_PASSWORD", "RES_KEYRING_PASSWORD",
            "COFFER_KEYRING_PASSWORD");

    private KeyringPasswordSources() {
    }

    /**
     * @param environment the process environment
     * @return the name of the first variable that holds a password, if any
     */
    public static Optional<String> variable(Map<String, String> environment) {
        return VARIABLES.stream().filter(name -> {
            String value = environment.get(name);
            return value != null && !value.isEmpty();
        }).findFirst();
    }
}
