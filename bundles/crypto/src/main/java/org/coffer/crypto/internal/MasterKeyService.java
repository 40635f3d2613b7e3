package org.coffer.crypto.internal;


import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.ValueCipher;
import org.coffer.spi.ProtectedEntries;
import org.coffer.spi.support.CofferHome;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/** The master key service, with its password from the configured source. */
@Component(service = {MasterKey.class, ProtectedEntries.class}, configurationPid = MasterKeyService.PID)
@Designate(ocd = MasterKeyConfig.class)
public final class MasterKeyService implements MasterKey, ProtectedEntries {

    static final String PID = "org.coffer.crypto";
    static final String FILE_PROPERTY = "coffer.credentialprovider.password.file";
    static final String PINEAPPLE_FILE_PROPERTY = "pineapple.credentialprovider.password.file";

    /*
     * Taken only when the keyring holds the master password, and given back after: the
     * provider resolves enc: values through this key, so holding the provider itself
     * would make the two wait for each other when they activate.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ComponentServiceObjects<CredentialProvider> provider;

    private final MasterKey key;
    private final Set<KeyringEntry> ownEntries;

    @Activate
    public MasterKeyService(MasterKeyConfig config, BundleContext context) {
        this.key = keyOf(config, context::getProperty, System.getenv(), () -> provider);
        // declared whatever the source: an entry named like the master password never resolves
        this.ownEntries = config.keyring_service().isBlank() || config.keyring_username().isBlank() ? Set.of()
                : Set.of(new KeyringEntry(config.keyring_service().strip(), config.keyring_username().strip()));
    }

    /** @return the keyring entry the master password may be kept in */
    @Override
    public Set<KeyringEntry> protectedEntries() {
        return ownEntries;
    }

    @Override
    public String source() {
        return key.source();
    }

    @Override
    public String encrypt(Secret value) {
        return key.encrypt(value);
    }

    @Override
    public Secret decrypt(String ciphertext, String what) {
        return key.decrypt(ciphertext, what);
    }

    @Override
    public void rekey(Function<ValueCipher, Map<Path, byte[]>> reencrypt) {
        key.rekey(reencrypt);
    }

    static MasterKey keyOf(MasterKeyConfig config, UnaryOperator<String> properties, Map<String, String> env,
            Supplier<ComponentServiceObjects<CredentialProvider>> provider) {
        switch (config.source()) {
            case "env":
                String variable = config.environment_variable();
                return new PasswordMasterKey("the environment variable " + variable,
                        () -> Optional.ofNullable(env.get(variable)).map(String::toCharArray).orElse(null));
            case "keyring":
                String service = config.keyring_service();
                String username = config.keyring_username();
                return new PasswordMasterKey("the keyring entry " + service + "/" + username, () -> {
                    ComponentServiceObjects<CredentialProvider> objects = provider.get();
                    CredentialProvider current = objects == null ? null : objects.getService();
                    if (current == null) {
                        throw new CofferException("The master password is kept in the keyring entry " + service
                                + "/" + username + ", but no credential provider is running");
                    }
                    try {
                        return current.get(service, username).map(secret -> {
                            try (secret) {
                                return secret.chars();
                            }
                        }).orElse(null);
                    } finally {
                        objects.ungetService(current);
                    }
                });
            case "file":
                return new PasswordMasterKey(new MasterPasswordFile(fileOf(config, properties, env)));
            default:
                throw new IllegalArgumentException("Unknown master password source '" + config.source()
                        + "'; use file, env or keyring");
        }
    }

    /**
     * The configured file, else the framework properties, else {@code
     * credentialprovider.password} in {@link CofferHome#conf}.
     */
    static Path fileOf(MasterKeyConfig config, UnaryOperator<String> properties, Map<String, String> env) {
        for (String explicit : new String[] {config.file(), properties.apply(FILE_PROPERTY),
            properties.apply(PINEAPPLE_FILE_PROPERTY)}) {
            if (explicit != null && !explicit.isBlank()) {
                return Path.of(explicit);
            }
        }
        return CofferHome.conf(properties, env).resolve("credentialprovider.password");
    }

    @Override
    public String toString() {
        return "MasterKeyService[" + key.source() + "]";
    }
}
