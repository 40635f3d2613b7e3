package org.coffer.provider.internal;

import java.util.Map;
import java.util.Optional;
import org.coffer.Secret;
import org.coffer.spi.SecretResolver;
import org.osgi.service.component.annotations.Component;

/** Resolves {@code env:NAME} from the environment of the process. */
@Component(property = SecretResolver.SCHEME + "=env")
public final class EnvironmentResolver implements SecretResolver {

    /** The variables that unlock Coffer's own keyrings and master password. */
    static final java.util.Set<String> KEYRING_PASSWORDS = keyringPasswords();

    private static java.util.Set<String> keyringPasswords() {
        java.util.Set<String> names = new java.util.HashSet<>(org.coffer.spi.support.KeyringPasswordSources.VARIABLES);
        names.add("COFFER_MASTER_PASSWORD");
        names.add("KEYRING_PASSWORD");
        return java.util.Set.copyOf(names);
    }

    private final Map<String, String> environment;

    public EnvironmentResolver() {
        this(System.getenv());
    }

    EnvironmentResolver(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String scheme() {
        return "env";
    }

    @Override
    public Optional<Secret> resolve(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("An environment reference has the form env:NAME");
        }
        if (KEYRING_PASSWORDS.contains(path)) {
            throw new IllegalArgumentException("env:" + path + " holds a keyring or master password; Coffer does not"
                    + " hand it to configurations");
        }
        return Optional.ofNullable(environment.get(path)).map(Secret::of);
    }
}
