package org.coffer.configadmin.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Delivers a configuration again once every reference it holds resolves, so that a
 * component configured while a keyring was locked, or before a secret was set, gets
 * the value without a restart. The properties go back exactly as stored: ConfigAdmin
 * delivers every update, and a file installer writing them back finds nothing changed.
 */
final class Redelivery implements AutoCloseable {

    private static final long RETRY_MILLIS = 2000;

    /** Resolves one reference of one property, quietly: a failure is looked at again at the next round. */
    @FunctionalInterface
    interface Lookup {
        Optional<String> resolve(String pid, String key, String reference);
    }

    private final ConfigurationAdmin configurationAdmin;
    private final Supplier<ResolutionPolicy> policy;
    private final Lookup lookup;
    private final Runnable beforeRound;
    /** PIDs delivered with references that did not resolve: a locked keyring, a secret not set yet. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService retry;

    /**
     * @param configurationAdmin where the configurations are
     * @param policy the policy in force, asked again at every round
     * @param lookup resolves a reference
     * @param beforeRound run at the start of every round (the policy may have changed)
     */
    Redelivery(ConfigurationAdmin configurationAdmin, Supplier<ResolutionPolicy> policy, Lookup lookup,
            Runnable beforeRound) {
        this.configurationAdmin = configurationAdmin;
        this.policy = policy;
        this.lookup = lookup;
        this.beforeRound = beforeRound;
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "coffer-reference-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the rounds, every {@value #RETRY_MILLIS} ms. */
    void start() {
        retry.scheduleWithFixedDelay(this::redeliverResolvable, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Marks a configuration delivered with references that did not resolve. */
    void await(String pid) {
        pending.add(pid);
    }

    /**
     * Marks every allowed configuration that holds references for delivery once they
     * resolve: it may have been delivered before the plugin ran, or while its PID was
     * not allowed yet, and would otherwise keep its references as written.
     */
    void awaitAll() {
        try {
            Configuration[] all = configurationAdmin.listConfigurations(null);
            for (Configuration configuration : all == null ? new Configuration[0] : all) {
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties != null && ReferenceTokens.hasTokens(properties)
                        && policy.get().mayResolve(configuration.getPid(), configuration.getFactoryPid(), properties)) {
                    pending.add(configuration.getPid());
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            // those delivered from now on are marked as they come
        }
    }

    private void redeliverResolvable() {
        beforeRound.run();
        for (String pid : pending) {
            try {
                Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties == null) {
                    pending.remove(pid);
                } else if (policy.get().mayResolve(pid, configuration.getFactoryPid(), properties)
                        && resolvesFully(pid, properties)) {
                    pending.remove(pid);
                    configuration.update(properties);
                }
            } catch (IOException | RuntimeException e) {
                // looked at again at the next round
            }
        }
    }

    private boolean resolvesFully(String pid, Dictionary<String, Object> properties) {
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            String[] values = value instanceof String[] ? (String[]) value
                    : value instanceof String ? new String[] {(String) value} : new String[0];
            for (String text : values) {
                if (ReferenceTokens.hasToken(ReferenceTokens.resolve(text, r -> lookup.resolve(pid, key, r)))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        retry.shutdownNow();
    }
}
