package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.TransportCipher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.Credential;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The desktop's Secret Service (gnome-keyring, KeePassXC, KWallet's bridge) over the
 * D-Bus session bus, with items as Python's keyring writes them, so Python, {@code
 * secret-tool} and Coffer see each other's secrets.
 *
 * <p>It is registered only while the bus is reachable and the service is there: it
 * waits for the condition {@value SecretServiceWatcher#CONDITION} that {@link
 * SecretServiceWatcher} holds exactly then, so the provider swaps to and from it. Only an
 * owner of the service name whose program is on the allow-list is sent anything. A
 * locked collection is unlocked with the password from this backend's own environment
 * variable ({@code COFFER_SECRETSERVICE_PASSWORD}) or {@code keyring:unlock}
 * (gnome-keyring's {@code UnlockWithMasterPassword}), else with the desktop's prompt.
 */
@Component(service = KeyringBackend.class, configurationPid = SecretServiceBackend.PID, immediate = true,
        property = {"service.ranking:Integer=" + SecretServiceBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + SecretServiceBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + SecretServiceWatcher.CONDITION + ")")
@Designate(ocd = SecretServiceConfig.class)
public final class SecretServiceBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.secretservice";
    static final int DEFAULT_RANKING = 500;
    static final String NAME = "secretservice";
    static final String PYTHON_APPLICATION = "Python keyring library";

    private final String name;
    private final String application;
    private final String passwordVariable;
    private final OwnerCheck owners;
    private final SecretServiceConnection connection;
    private final SecretServiceCollections collection;
    private final SecretServiceItems items;

    @Activate
    public SecretServiceBackend(SecretServiceConfig config) {
        this(config, System.getenv());
    }

    /** The backend a configuration describes, with its password variable looked up in {@code environment}. */
    SecretServiceBackend(SecretServiceConfig config, Map<String, String> environment) {
        this(busAddress(config.bus_address(), environment), config.transport(), config.application(),
                config.collection_alias(), config.password_variable(), environment,
                Duration.ofSeconds(config.prompt_timeout()), config.name(), OwnerCheck.of(config));
    }

    /**
     * A backend of the Secret Service at an address; it connects on its first call, and
     * a call that cannot reach the service fails with {@link
     * SessionBus#whyUnreachable the reason}.
     *
     * @param busAddress the D-Bus address of the session bus
     * @param transport {@code dh-ietf1024-sha256-aes128-cbc-pkcs7} or {@code plain}
     * @param application the {@code application} attribute of items written
     * @param alias the collection alias, {@code default} as Python uses
     * @param passwordVariable the environment variable that may hold this keyring's own password
     *        ({@code COFFER_SECRETSERVICE_PASSWORD} by default, never another backend's)
     * @param environment where it is looked up
     * @param promptTimeout how long to wait for a person to answer a prompt
     * @param name the backend's name
     */
    public SecretServiceBackend(String busAddress, String transport, String application, String alias,
            String passwordVariable, Map<String, String> environment, Duration promptTimeout, String name) {
        this(busAddress, transport, application, alias, passwordVariable, environment, promptTimeout, name,
                OwnerCheck.DEFAULT);
    }

    /** As above, sending anything only to an owner of the service name that passes {@code owners}. */
    SecretServiceBackend(String busAddress, String transport, String application, String alias,
            String passwordVariable, Map<String, String> environment, Duration promptTimeout, String name,
            OwnerCheck owners) {
        this.name = name;
        this.application = application;
        this.passwordVariable = passwordVariable;
        this.owners = owners;
        this.connection = new SecretServiceConnection(busAddress, transport, owners);
        this.collection = new SecretServiceCollections(connection, alias, promptTimeout,
                () -> Optional.ofNullable(environment.get(passwordVariable)).filter(p -> !p.isEmpty()).map(Secret::of),
                "the environment variable " + passwordVariable);
        this.items = new SecretServiceItems(connection, collection, application, promptTimeout);
    }

    /** @return the configured address, else {@code DBUS_SESSION_BUS_ADDRESS} */
    static String busAddress(String configured, Map<String, String> environment) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return environment.getOrDefault("DBUS_SESSION_BUS_ADDRESS", "");
    }

    @Deactivate
    void deactivate() {
        connection.close();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "freedesktop Secret Service on " + connection.address();
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        return items.get(service, username);
    }

    @Override
    public Optional<Credential> getCredential(String service, String username) {
        if (username != null) {
            return KeyringBackend.super.getCredential(service, username);
        }
        return items.firstUsername(service).flatMap(user -> get(service, user).map(s -> new Credential(user, s)));
    }

    @Override
    public void set(String service, String username, Secret secret) {
        items.set(service, username, secret);
    }

    @Override
    public boolean delete(String service, String username) {
        return items.delete(service, username);
    }

    @Override
    public boolean isLocked() {
        return collection.isLocked();
    }

    @Override
    public void unlock(Secret password) {
        collection.unlock(password);
    }

    @Override
    public void lock() {
        collection.lock();
    }

    @Override
    public boolean canEnumerate() {
        return true;
    }

    @Override
    public List<KeyringEntry> entries() {
        return items.entries();
    }

    @Override
    public Diagnosis diagnose() {
        Diagnosis.Builder diagnosis = Diagnosis.of(name)
                .detail("bus address", connection.address())
                .detail("transport", connection.algorithm())
                .detail("application attribute", application)
                .detail("password variable", passwordVariable)
                .detail("allowed executables", String.join(", ", owners.executables()))
                .detail("compatible with", "Python keyring.backends.SecretService.Keyring, secret-tool");
        try {
            diagnosis.detail("collection", collection.path().orElse("none yet (created on the first write)"));
            diagnosis.detail("locked", collection.isLocked());
            diagnosis.detail("last unlock", collection.lastUnlock());
        } catch (BackendException e) {
            diagnosis.warning(e.getMessage());
        }
        if (TransportCipher.PLAIN.equals(connection.algorithm())) {
            diagnosis.warning("Secrets cross the D-Bus session bus in clear (transport 'plain'); choose"
                    + " " + TransportCipher.DH_AES + " unless the service lacks it.");
        }
        return diagnosis.build();
    }
}
