package org.coffer.configadmin.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.coffer.AppConfiguration;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.Secret;
import org.coffer.spi.support.AccessPolicyFiles;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Resolves {@code $[keyring:service/username]}, {@code $[env:NAME]} and the other
 * secret references in the configurations ConfigAdmin delivers, for the PIDs the
 * {@link ResolutionPolicy} allows. The stored configuration, and what
 * {@code Configuration.getProperties()} returns, keep the reference; only the dictionary
 * handed to the component holds the secret. A configuration delivered while a reference
 * could not resolve (a locked keyring, a secret not set yet) is delivered again once it
 * does, with its properties unchanged, so nothing an administrator wrote is rewritten.
 * {@code resolve.pids} is read from the access policy's files ({@link AccessPolicyFiles}),
 * looked at again on every change of {@code org.coffer.access} and every retry round.
 */
@Component(service = {ConfigurationPlugin.class, ConfigurationListener.class}, immediate = true,
        configurationPid = "org.coffer.access", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {ConfigurationPlugin.CM_RANKING + ":Integer=100"})
public final class ReferenceResolvingPlugin implements ConfigurationPlugin, ConfigurationListener {

    private final CredentialProvider provider;
    private final ConfigurationAdmin configurationAdmin;
    /** PIDs refused resolution, reported once each. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Redelivery redelivery;
    private final AccessPolicyFiles policyFiles;
    private volatile String[] allowedPids;
    private volatile ResolutionPolicy policy;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AppConfiguration appConfiguration;

    @Activate
    public ReferenceResolvingPlugin(BundleContext context, @Reference CredentialProvider provider,
            @Reference ConfigurationAdmin configurationAdmin) {
        this.provider = provider;
        this.configurationAdmin = configurationAdmin;
        this.policyFiles = AccessPolicyFiles.of(context::getProperty);
        this.allowedPids = allowedPids();
        refreshPolicy();
        this.redelivery = new Redelivery(configurationAdmin, () -> policy, (pid, key, r) -> lookup(pid, key, r, false),
                this::policyChanged);
        redelivery.awaitAll();
        redelivery.start();
    }

    @Modified
    void modified() {
        policyChanged();
    }

    /**
     * {@code resolve.pids} as the access policy's files say: a configuration of
     * {@code org.coffer.access} written any other way decides nothing.
     */
    private String[] allowedPids() {
        String pids = policyFiles.current().get("resolve.pids");
        return pids == null ? new String[0] : pids.split(",");
    }

    private synchronized void policyChanged() {
        String[] now = allowedPids();
        if (!java.util.Arrays.equals(now, allowedPids)) {
            allowedPids = now;
            refused.clear();
            refreshPolicy();
            redelivery.awaitAll();
        }
    }

    @Deactivate
    void deactivate() {
        redelivery.close();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        // a backend's password source may have changed
        if (event.getType() != ConfigurationEvent.CM_LOCATION_CHANGED) {
            refreshPolicy();
        }
    }

    /** Collects the password variables the stored configurations name: no reference may point at them. */
    private void refreshPolicy() {
        Set<String> variables = new HashSet<>();
        try {
            Configuration[] all = configurationAdmin.listConfigurations(null);
            for (Configuration configuration : all == null ? new Configuration[0] : all) {
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties == null) {
                    continue;
                }
                addText(variables, properties.get("password.variable"));
                addText(variables, properties.get("environment.variable"));
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            // the fixed names stay forbidden
        }
        policy = new ResolutionPolicy(allowedPids, variables, this::publishedByAppConfig);
    }

    private boolean publishedByAppConfig(String pid, Dictionary<String, Object> properties) {
        AppConfiguration current = appConfiguration;
        return current instanceof AppConfigPublisher && ((AppConfigPublisher) current).published(pid, properties);
    }

    private static void addText(Set<String> into, Object value) {
        if (value instanceof String && !((String) value).isBlank()) {
            into.add(((String) value).strip());
        }
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object pidValue = properties.get(Constants.SERVICE_PID);
        String pid = pidValue == null ? null : pidValue.toString();
        Object factoryPid = properties.get(ConfigurationAdmin.SERVICE_FACTORYPID);
        if (!ReferenceTokens.hasTokens(properties)) {
            return;
        }
        if (!policy.mayResolve(pid, factoryPid == null ? null : factoryPid.toString(), properties)) {
            if (pid != null && refused.add(pid)) {
                warn("References in configuration {} are left as written: only app.config and the PIDs in"
                        + " resolve.pids of org.coffer.access resolve references", pid);
            }
            return;
        }
        boolean unresolved = false;
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            if (value instanceof String && ReferenceTokens.hasToken((String) value)) {
                String resolved = ReferenceTokens.resolve((String) value, r -> lookup(pid, key, r, true));
                unresolved |= ReferenceTokens.hasToken(resolved);
                properties.put(key, resolved);
            } else if (value instanceof String[]) {
                String[] values = ((String[]) value).clone();
                for (int i = 0; i < values.length; i++) {
                    if (ReferenceTokens.hasToken(values[i])) {
                        values[i] = ReferenceTokens.resolve(values[i], r -> lookup(pid, key, r, true));
                        unresolved |= ReferenceTokens.hasToken(values[i]);
                    }
                }
                properties.put(key, values);
            }
        }
        if (pid != null && unresolved) {
            redelivery.await(pid);
        }
    }

    private Optional<String> lookup(String pid, String key, String reference, boolean report) {
        if (policy.isPasswordSource(reference)) {
            if (report) {
                warn("Property {} of configuration {} refers to {}, a keyring password: it is not resolved",
                        key, pid, reference);
            }
            return Optional.empty();
        }
        if (reference.startsWith(SectionPublisher.LITERAL_SCHEME + ":")) {
            AppConfiguration current = appConfiguration;
            return current instanceof AppConfigPublisher
                    ? ((AppConfigPublisher) current).literal(pid, reference.substring(reference.indexOf(':') + 1))
                    : Optional.empty();
        }
        try {
            return provider.resolve(reference).map(ReferenceResolvingPlugin::reveal);
        } catch (CofferException | IllegalArgumentException e) {
            if (report) {
                // the reference and the failure, never a value
                warn("Cannot resolve {} of property {}: {}", reference, key, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private void warn(String format, Object... arguments) {
        Logger current = logger;
        if (current != null) {
            current.warn(format, arguments);
        }
    }

    private static String reveal(Secret secret) {
        try (secret) {
            return secret.reveal();
        }
    }
}
