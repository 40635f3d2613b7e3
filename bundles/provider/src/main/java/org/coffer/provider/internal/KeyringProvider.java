package org.coffer.provider.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.coffer.AuditEvent;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.Credential;
import org.coffer.CredentialProvider;
import org.coffer.Diagnosis;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.SecretReference;
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
 * The credential provider: every registered {@link KeyringBackend}, ordered by
 * {@code service.ranking}, bound and unbound while the system runs. It is not itself a
 * service: it registers {@link CredentialProvider} and {@link KeyringAdmin} as a service
 * factory, so that each bundle gets a {@link CallerView} that knows who calls, checks the
 * {@link AccessPolicy} (PID {@code org.coffer.access}) and audits.
 */
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"org.coffer.CredentialProvider,org.coffer.KeyringAdmin\"",
        uses = {CredentialProvider.class, KeyringAdmin.class})
@Component(service = {}, configurationPid = {KeyringProvider.PID, KeyringProvider.ACCESS_PID}, immediate = true)
public final class KeyringProvider implements CredentialProvider, KeyringAdmin {

    static final String PID = "org.coffer.provider";
    static final String ACCESS_PID = "org.coffer.access";

    private final BackendChain chain = new BackendChain();
    private final StoredPin storedPin;
    private final Audit audit = new Audit();
    private volatile PolicySource policy;
    private final BoundBackends bound = new BoundBackends(chain, () -> policy.cached());
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ProtectedEntries> keySources = new ArrayList<>();

    private final DeclaredEntries declared = new DeclaredEntries(bound::all, () -> keySources);

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
            KeyringAdmin.class.getName()}, CallerView.factory(this, policy::current, audit), null);
        hooks = context.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                new ServiceVisibility(context.getBundle(), policy::cached), null);
        self = context.getBundle();
        policy.watch();
    }

    /** The provider alone, with no service and an open policy: for tests and benchmarks. */
    KeyringProvider(ProviderConfig config, ConfigurationAdmin configurationAdmin) {
        this.storedPin = new StoredPin(configurationAdmin);
        this.policy = new PolicySource(AccessPolicyFiles.of(name -> null), null, changed -> { });
        chain.pin(StoredPin.orPythonChoice(config.pinned_backend()));
        chain.failures().warnTo(message -> {
            Logger current = logger;
            if (current != null) {
                current.warn(message);
            }
        });
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
            Logger current = logger;
            if (current != null) {
                current.warn("{}", warning);
            }
            if (provider != null) {
                audit.record(provider, "POLICY", ACCESS_PID, null, null, "ignored: written outside its files");
            }
        }
    }

    @Reference(name = "backends", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedBackend", unbind = "removeBackend")
    void bindBackend(ServiceReference<KeyringBackend> reference, KeyringBackend backend, Map<String, Object> properties) {
        addBackend(reference.getBundle(), backend, properties);
    }

    /** A backend of no bundle: tests and benchmarks. */
    void addBackend(KeyringBackend backend, Map<String, Object> properties) {
        addBackend(null, backend, properties);
    }

    private void addBackend(Bundle bundle, KeyringBackend backend, Map<String, Object> properties) {
        bound.put(bundle, backend, properties);
        log("Keyring backend {} available with ranking {}; active: {}", backend.name(),
                properties.get("service.ranking"), activeName());
    }

    void updatedBackend(ServiceReference<KeyringBackend> reference, KeyringBackend backend,
            Map<String, Object> properties) {
        bound.put(reference.getBundle(), backend, properties);
        log("Keyring backend {} now ranked {}; active: {}", backend.name(), properties.get("service.ranking"),
                activeName());
    }

    void removeBackend(KeyringBackend backend) {
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

    @Override
    public Optional<Secret> get(String service, String username) {
        checkNames(service, username);
        return chain.get(service, username);
    }

    @Override
    public Optional<Credential> getCredential(String service, String username) {
        checkNames(service, username == null ? "-" : username);
        return chain.getCredential(service, username);
    }

    @Override
    public void set(String service, String username, Secret secret) {
        checkNames(service, username);
        chain.set(service, username, secret);
    }

    @Override
    public boolean delete(String service, String username) {
        checkNames(service, username);
        return chain.delete(service, username);
    }

    private static void checkNames(String service, String username) {
        if (service == null || service.isEmpty()) {
            throw new IllegalArgumentException("The service must not be empty");
        }
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("The username must not be empty");
        }
    }

    @Override
    public List<BackendInfo> backends() {
        return chain.infos();
    }

    @Override
    public List<BackendInfo> allBackends() {
        List<BackendInfo> all = new ArrayList<>(chain.infos());
        all.addAll(bound.refused());
        return InstalledBackends.of(all, componentRuntime, absences);
    }

    @Override
    public List<AuditEvent> audit(long after) {
        return audit.after(after);
    }

    @Override
    public BackendInfo activeBackend() {
        RankedBackend active = chain.active();
        return chain.infos().stream().filter(b -> b.name().equals(active.name)).findFirst()
                .orElseThrow(() -> new CofferException("The active backend " + active.name + " just went away; try again"));
    }

    @Override
    public void use(String name) {
        List<BackendInfo> known = allBackends();
        if (known.stream().noneMatch(b -> b.name().equals(name))) {
            throw new IllegalArgumentException("No keyring backend is named '" + name + "'. Known backends: "
                    + known.stream().map(BackendInfo::name).collect(Collectors.joining(", "))
                    + (known.isEmpty() ? "none" : "") + ".");
        }
        storedPin.write(name);
        chain.pin(name);
    }

    @Override
    public void useAutomatic() {
        storedPin.write("");
        chain.pin(StoredPin.orPythonChoice(null));
    }

    @Override
    public void unlock(String backend, Secret password) {
        chain.named(backend).backend.unlock(password);
    }

    @Override
    public void setExpiring(String backend, String service, String username, Secret secret,
            Duration lifetime) {
        checkNames(service, username);
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("An entry that expires needs a lifetime above zero, not " + lifetime);
        }
        chain.named(backend).backend.setExpiring(service, username, secret, lifetime);
    }

    @Override
    public List<KeyringEntry> migrate(String from, String to, boolean deleteSource) {
        return chain.migrate(from, to, deleteSource, (done, total) -> { });
    }

    @Override
    public List<KeyringEntry> migrate(String from, String to, boolean deleteSource, Progress progress) {
        return chain.migrate(from, to, deleteSource, progress);
    }

    @Override
    public Optional<String> pinned() {
        return Optional.ofNullable(chain.pinned());
    }

    @Override
    public List<KeyringEntry> entries(String backend) {
        KeyringBackend named = chain.named(backend).backend;
        if (!named.canEnumerate()) {
            throw new IllegalArgumentException("The backend '" + backend + "' cannot list its entries");
        }
        return List.copyOf(named.entries());
    }

    @Override
    public void set(String backend, String service, String username, Secret secret) {
        checkNames(service, username);
        chain.named(backend).backend.set(service, username, secret);
    }

    @Override
    public boolean delete(String backend, String service, String username) {
        checkNames(service, username);
        return chain.named(backend).backend.delete(service, username);
    }

    @Override
    public void lock(String backend) {
        chain.named(backend).backend.lock();
    }

    /**
     * @throws org.coffer.AccessDeniedException if a backend or key source declared the entry as its own
     */
    void refuseReference(String service, String username) {
        declared.refuseReference(service, username);
    }

    @Override
    public Optional<Secret> resolve(String reference) {
        SecretReference parsed = SecretReference.parse(reference);
        if (SecretReference.KEYRING.equals(parsed.scheme())) {
            declared.refuseReference(parsed.keyringService(), parsed.keyringUsername());
            return get(parsed.keyringService(), parsed.keyringUsername());
        }
        for (SecretResolver resolver : resolvers) {
            if (resolver.scheme().equals(parsed.scheme())) {
                return resolver.resolve(parsed.path());
            }
        }
        throw new CofferException("No resolver handles secret references of the scheme '" + parsed.scheme()
                + "'. Install the bundle that provides it.");
    }

    @Override
    public List<Diagnosis> diagnose() {
        return ProviderDiagnosis.of(chain, resolvers, allBackends(), policy.describe());
    }
}
