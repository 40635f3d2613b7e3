package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.KeyringAdmin;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.ProtectedEntries;
import org.coffer.spi.SecretResolver;
import org.coffer.spi.support.AccessPolicyFiles;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The credential provider's wiring: every registered {@link KeyringBackend}, ordered by
 * {@code service.ranking}, bound and unbound while the system runs, with the key sources,
 * resolvers and absences around them. It is not itself a service: it registers
 * {@link CredentialProvider} and {@link KeyringAdmin} as a service factory, so that each
 * bundle gets a {@link CallerView} that knows who calls, checks the {@link AccessPolicy}
 * (PID {@code org.coffer.access}) and audits, then asks {@link Keyrings} or
 * {@link Administration}.
 */
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"org.coffer.CredentialProvider,org.coffer.KeyringAdmin\"",
        uses = {CredentialProvider.class, KeyringAdmin.class})
@Component(service = {}, configurationPid = {KeyringProvider.PID, KeyringProvider.ACCESS_PID}, immediate = true)
public final class KeyringProvider {

    static final String PID = "org.coffer.provider";
    static final String ACCESS_PID = "org.coffer.access";

    private final BackendChain chain = new BackendChain();
    private final StoredPin storedPin;
    private final Audit audit = new Audit();
    private volatile PolicySource policy;
    private final BoundBackends bound = new BoundBackends(chain, () -> policy.cached());
    private final EntrySupply supply;
    private final Keyrings keyrings;
    private final Administration admin;
    private volatile ServiceRegistration<?> registration;
    private volatile ServiceRegistration<?> hooks;
    private volatile Bundle self;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceComponentRuntime componentRuntime;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<SecretResolver> resolvers = new ArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<BackendAbsence> absences = new ArrayList<>();

    @Activate
    public KeyringProvider(ProviderConfig config, Map<String, Object> properties, BundleContext context,
            @Reference ConfigurationAdmin configurationAdmin) {
        this(config, configurationAdmin);
        OwnBundles own = new OwnBundles(context::getProperty, context.getBundle().getLocation());
        this.policy = new PolicySource(AccessPolicyFiles.of(context::getProperty), own, changed -> bound.readmit());
        audit.name(own::name);
        bound.readmit();
        foreignPolicy(properties, context.getBundle());
        registration = context.registerService(new String[] {CredentialProvider.class.getName(),
            KeyringAdmin.class.getName()}, CallerView.factory(keyrings, admin, () -> policy.current(), audit), null);
        hooks = context.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                new ServiceVisibility(context.getBundle(), policy::cached), null);
        self = context.getBundle();
        policy.watch();
    }

    /** The provider alone, with no service and an open policy: for tests and benchmarks. */
    KeyringProvider(ProviderConfig config, ConfigurationAdmin configurationAdmin) {
        this.storedPin = new StoredPin(configurationAdmin);
        this.policy = new PolicySource(AccessPolicyFiles.of(name -> null), null, changed -> { });
        this.supply = new EntrySupply(chain, bound, this::viewOf);
        DeclaredEntries declared = new DeclaredEntries(bound::all, supply::keySources, supply::name);
        this.keyrings = new Keyrings(chain, declared, supply, () -> resolvers);
        this.admin = new Administration(chain, bound, keyrings, supply, storedPin, audit, new Administration.Surroundings() {
            @Override
            public ServiceComponentRuntime componentRuntime() {
                return componentRuntime;
            }

            @Override
            public List<BackendAbsence> absences() {
                return absences;
            }

            @Override
            public List<SecretResolver> resolvers() {
                return resolvers;
            }

            @Override
            public String accessPolicy() {
                return policy.describe();
            }
        });
        chain.pin(StoredPin.orPythonChoice(config.pinned_backend()));
        chain.failures().warnTo(this::warn);
        chain.missing().absencesFrom(() -> absences);
        supply.warnTo(this::warn);
    }

    /** @return the provider as the bundle sees it: its reads of declared entries are checked and audited as its own */
    private CallerView viewOf(Bundle bundle) {
        return new CallerView(keyrings, admin, bundle, () -> policy.current(), audit);
    }

    /**
     * @param config the provider's settings
     * @return a provider with no service and an open policy, for tests and benchmarks
     */
    public static KeyringProvider alone(ProviderConfig config) {
        return new KeyringProvider(config, null);
    }

    /** @return what applications call, with no policy: for tests and benchmarks */
    public CredentialProvider keyrings() {
        return keyrings;
    }

    /** @return what administrators call, with no policy: for tests and benchmarks */
    public KeyringAdmin admin() {
        return admin;
    }

    @Deactivate
    void deactivate() {
        policy.stop();
        hooks.unregister();
        registration.unregister();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeEventAdmin")
    void setEventAdmin(EventAdmin eventAdmin) {
        audit.eventAdmin(eventAdmin);
    }

    void removeEventAdmin(EventAdmin eventAdmin) {
        audit.eventAdmin(null);
    }

    @Modified
    void modified(ProviderConfig config, Map<String, Object> properties) {
        chain.pin(StoredPin.orPythonChoice(storedPin.read().orElse(config.pinned_backend())));
        policy.current();
        bound.readmit();
        foreignPolicy(properties, self);
    }

    /** A policy written into ConfigAdmin some other way than its files is ignored, with a warning and an audit event. */
    private void foreignPolicy(Map<String, Object> properties, Bundle provider) {
        String warning = policy.foreignWrite(properties);
        if (warning != null) {
            warn(warning);
            if (provider != null) {
                audit.record(provider, "POLICY", ACCESS_PID, null, null, "ignored: written outside its files");
            }
        }
    }

    /** A component that reads its own secrets from keyring entries, and is not a backend: the master key. */
    @Reference(name = "keySources", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeKeySource")
    void bindKeySource(ServiceReference<ProtectedEntries> reference, ProtectedEntries source) {
        supply.addKeySource(source, reference.getBundle());
    }

    /** A key source of no bundle: tests. */
    void addKeySource(ProtectedEntries source) {
        supply.addKeySource(source, null);
    }

    void removeKeySource(ProtectedEntries source) {
        supply.removeKeySource(source);
    }

    @Reference(name = "backends", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedBackend", unbind = "removeBackend")
    void bindBackend(ServiceReference<KeyringBackend> reference, KeyringBackend backend, Map<String, Object> properties) {
        addBackend(reference.getBundle(), backend, properties);
    }

    /**
     * A backend of no bundle: for tests and benchmarks.
     *
     * @param backend the backend
     * @param properties its service properties ({@code service.ranking}, {@code service.id})
     */
    public void addBackend(KeyringBackend backend, Map<String, Object> properties) {
        addBackend(null, backend, properties);
    }

    /** A backend joined: it, or what it holds, may be what a locked backend or the master key awaits. */
    private void addBackend(Bundle bundle, KeyringBackend backend, Map<String, Object> properties) {
        bound.put(bundle, backend, properties);
        log("Keyring backend {} available with ranking {}; active: {}", backend.name(),
                properties.get("service.ranking"), activeName());
        supply.supplyAwaiting();
    }

    void updatedBackend(ServiceReference<KeyringBackend> reference, KeyringBackend backend,
            Map<String, Object> properties) {
        bound.put(reference.getBundle(), backend, properties);
        log("Keyring backend {} now ranked {}; active: {}", backend.name(), properties.get("service.ranking"),
                activeName());
    }

    /** @param backend a backend that goes away */
    public void removeBackend(KeyringBackend backend) {
        bound.remove(backend);
        log("Keyring backend {} gone; active: {}", backend.name(), activeName(), null);
    }

    private String activeName() {
        try {
            return chain.active().name;
        } catch (CofferException e) {
            return "none";
        }
    }

    private void log(String format, Object a, Object b, Object c) {
        Logger current = logger;
        if (current != null) {
            current.info(format, a, b, c);
        }
    }

    private void warn(String message) {
        Logger current = logger;
        if (current != null) {
            current.warn("{}", message);
        }
    }
}
