package org.coffer.configadmin.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Optional;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.Secret;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Resolves {@code $[keyring:service/username]}, {@code $[env:NAME]} and the other
 * secret references in every configuration ConfigAdmin delivers. The stored
 * configuration, and what {@code Configuration.getProperties()} returns, keep the
 * reference; only the dictionary handed to the component holds the secret.
 */
@Component(property = {ConfigurationPlugin.CM_RANKING + ":Integer=100"})
public final class ReferenceResolvingPlugin implements ConfigurationPlugin {

    private final CredentialProvider provider;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Activate
    public ReferenceResolvingPlugin(@Reference CredentialProvider provider) {
        this.provider = provider;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            if (value instanceof String && ReferenceTokens.hasToken((String) value)) {
                properties.put(key, ReferenceTokens.resolve((String) value, r -> lookup(key, r)));
            } else if (value instanceof String[]) {
                String[] values = ((String[]) value).clone();
                for (int i = 0; i < values.length; i++) {
                    if (ReferenceTokens.hasToken(values[i])) {
                        values[i] = ReferenceTokens.resolve(values[i], r -> lookup(key, r));
                    }
                }
                properties.put(key, values);
            }
        }
    }

    private Optional<String> lookup(String key, String reference) {
        try {
            return provider.resolve(reference).map(ReferenceResolvingPlugin::reveal);
        } catch (CofferException | IllegalArgumentException e) {
            Logger current = logger;
            if (current != null) {
                // the reference and the failure, never a value
                current.warn("Cannot resolve {} of property {}: {}", reference, key, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private static String reveal(Secret secret) {
        try (secret) {
            return secret.reveal();
        }
    }
}
