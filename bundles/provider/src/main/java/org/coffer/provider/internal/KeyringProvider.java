package org.coffer.provider.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.Credential;
import org.coffer.CredentialProvider;
import org.coffer.Diagnosis;
import org.coffer.Secret;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.SecretReference;
import org.coffer.spi.SecretResolver;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The credential provider: every registered {@link KeyringBackend}, ordered by
 * {@code service.ranking}, bound and unbound while the system runs.
 */
@Component(service = CredentialProvider.class, configurationPid = KeyringProvider.PID, immediate = true)
@Designate(ocd = ProviderConfig.class)
public final class KeyringProvider implements CredentialProvider {

    static final String PID = "org.coffer.provider";
    static final String PINNED = "pinned.backend";

    private final BackendChain chain = new BackendChain();
    private final ConfigurationAdmin configurationAdmin;

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
    public KeyringProvider(ProviderConfig config, @Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        chain.pin(orPythonChoice(config.pinned_backend()));
    }

    /** Without a pin of Coffer's own, the backend Python's keyring was told to use. */
    private static String orPythonChoice(String pin) {
        return pin != null && !pin.isBlank() ? pin : PythonKeyringChoice.of(System.getenv()).orElse(pin);
    }

    @Modified
    void modified(ProviderConfig config) {
        // events arrive late and in any order: the configuration as stored now is the one that counts
        chain.pin(orPythonChoice(storedPin().orElse(config.pinned_backend())));
    }

    private java.util.Optional<String> storedPin() {
        try {
            Dictionary<String, Object> properties = configurationAdmin.getConfiguration(PID, "?").getProperties();
            Object pin = properties == null ? null : properties.get(PINNED);
            return java.util.Optional.ofNullable(pin == null ? null : pin.toString());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    @Reference(name = "backends", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedBackend", unbind = "removeBackend")
    void addBackend(KeyringBackend backend, Map<String, Object> properties) {
        chain.add(backend, properties);
        log("Keyring backend {} available with ranking {}; active: {}", backend.name(),
                properties.get("service.ranking"), activeName());
    }

    void updatedBackend(KeyringBackend backend, Map<String, Object> properties) {
        chain.add(backend, properties);
        log("Keyring backend {} now ranked {}; active: {}", backend.name(), properties.get("service.ranking"),
                activeName());
    }

    void removeBackend(KeyringBackend backend) {
        chain.remove(backend);
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
        return InstalledBackends.of(chain.infos(), componentRuntime, absences);
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
        storePin(name);
        chain.pin(name);
    }

    @Override
    public void useAutomatic() {
        storePin("");
        chain.pin(orPythonChoice(null));
    }

    @Override
    public void unlock(String backend, Secret password) {
        chain.named(backend).backend.unlock(password);
    }

    @Override
    public List<org.coffer.spi.KeyringEntry> migrate(String from, String to, boolean deleteSource) {
        return chain.migrate(from, to, deleteSource);
    }

    @Override
    public void lock(String backend) {
        chain.named(backend).backend.lock();
    }

    private void storePin(String name) {
        try {
            Configuration configuration = configurationAdmin.getConfiguration(PID, "?");
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                properties = new Hashtable<>();
            }
            properties.put(PINNED, name);
            configuration.updateIfDifferent(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the pinned backend in the configuration " + PID, e);
        }
    }

    @Override
    public Optional<Secret> resolve(String reference) {
        SecretReference parsed = SecretReference.parse(reference);
        if (SecretReference.KEYRING.equals(parsed.scheme())) {
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
        List<Diagnosis> all = new ArrayList<>();
        Diagnosis.Builder provider = Diagnosis.of("provider");
        List<BackendInfo> viable = chain.infos();
        provider.detail("backends", viable.stream().map(b -> b.name() + " (" + b.ranking() + ")")
                .collect(Collectors.joining(", ")));
        provider.detail("active backend", viable.stream().filter(BackendInfo::active).map(BackendInfo::name)
                .findFirst().orElse("none"));
        provider.detail("pinned backend", chain.pinned() == null ? "none (highest ranking wins)" : chain.pinned());
        provider.detail("resolver schemes", "keyring" + resolvers.stream().map(r -> ", " + r.scheme())
                .collect(Collectors.joining()));
        if (viable.isEmpty()) {
            provider.warning(BackendChain.NO_KEYRING);
        }
        try {
            chain.active();
        } catch (CofferException e) {
            if (!viable.isEmpty()) {
                provider.warning(e.getMessage());
            }
        }
        all.add(provider.build());
        for (RankedBackend r : chain.snapshot()) {
            try {
                all.add(r.backend.diagnose());
            } catch (RuntimeException e) {
                all.add(Diagnosis.of(r.name).warning("Its diagnosis failed: " + e.getMessage()).build());
            }
        }
        for (BackendInfo backend : allBackends()) {
            if (!backend.viable()) {
                all.add(Diagnosis.of(backend.name()).detail("component", backend.description())
                        .warning("Not available: " + backend.reason()).build());
            }
        }
        return all;
    }
}
