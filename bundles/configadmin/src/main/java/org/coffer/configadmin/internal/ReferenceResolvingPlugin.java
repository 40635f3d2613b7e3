package org.coffer.configadmin.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.Secret;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Resolves {@code $[keyring:service/username]}, {@code $[env:NAME]} and the other
 * secret references in every configuration ConfigAdmin delivers. The stored
 * configuration, and what {@code Configuration.getProperties()} returns, keep the
 * reference; only the dictionary handed to the component holds the secret. A
 * configuration delivered while a reference could not resolve (a locked keyring, a
 * secret not set yet) is delivered again once it does.
 */
@Component(immediate = true, property = {ConfigurationPlugin.CM_RANKING + ":Integer=100"})
public final class ReferenceResolvingPlugin implements ConfigurationPlugin {

    private static final long RETRY_MILLIS = 2000;
    /** Set when a configuration is delivered again because its references now resolve. */
    static final String REDELIVERED = ".coffer.redelivered";

    private final CredentialProvider provider;
    private final ConfigurationAdmin configurationAdmin;
    /** PIDs delivered with references that did not resolve: a locked keyring, a secret not set yet. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService retry;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Activate
    public ReferenceResolvingPlugin(@Reference CredentialProvider provider,
            @Reference ConfigurationAdmin configurationAdmin) {
        this.provider = provider;
        this.configurationAdmin = configurationAdmin;
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "coffer-reference-retry");
            thread.setDaemon(true);
            return thread;
        });
        retry.scheduleWithFixedDelay(this::redeliverResolvable, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        retry.shutdownNow();
    }

    /**
     * Delivers a configuration again once every reference it holds resolves, so that a
     * component configured while a keyring was locked, or before a secret was set, gets
     * the value without a restart.
     */
    private void redeliverResolvable() {
        for (String pid : pending) {
            try {
                Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties == null) {
                    pending.remove(pid);
                } else if (resolvesFully(properties)) {
                    pending.remove(pid);
                    // a changed (private) property makes every consumer take the configuration again
                    properties.put(REDELIVERED, System.currentTimeMillis());
                    configuration.update(properties);
                }
            } catch (IOException | RuntimeException e) {
                // looked at again at the next round
            }
        }
    }

    private boolean resolvesFully(Dictionary<String, Object> properties) {
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            String[] values = value instanceof String[] ? (String[]) value
                    : value instanceof String ? new String[] {(String) value} : new String[0];
            for (String text : values) {
                if (ReferenceTokens.hasToken(ReferenceTokens.resolve(text, this::quietLookup))) {
                    return false;
                }
            }
        }
        return true;
    }

    private Optional<String> quietLookup(String reference) {
        try {
            return provider.resolve(reference).map(ReferenceResolvingPlugin::reveal);
        } catch (CofferException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        boolean unresolved = false;
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            if (value instanceof String && ReferenceTokens.hasToken((String) value)) {
                String resolved = ReferenceTokens.resolve((String) value, r -> lookup(key, r));
                unresolved |= ReferenceTokens.hasToken(resolved);
                properties.put(key, resolved);
            } else if (value instanceof String[]) {
                String[] values = ((String[]) value).clone();
                for (int i = 0; i < values.length; i++) {
                    if (ReferenceTokens.hasToken(values[i])) {
                        values[i] = ReferenceTokens.resolve(values[i], r -> lookup(key, r));
                        unresolved |= ReferenceTokens.hasToken(values[i]);
                    }
                }
                properties.put(key, values);
            }
        }
        Object pid = properties.get(Constants.SERVICE_PID);
        if (pid != null && unresolved) {
            pending.add(pid.toString());
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
