package org.coffer.provider.internal;

import java.util.Map;
import java.util.Optional;
import org.coffer.Secret;
import org.coffer.spi.SecretResolver;
import org.osgi.service.component.annotations.Component;

/** Resolves {@code env:NAME} from the environment of the process. */
@Component(property = SecretResolver.SCHEME + "=env")
public final class EnvironmentResolver implements SecretResolver {

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
        return Optional.ofNullable(environment.get(path)).map(Secret::of);
    }
}
