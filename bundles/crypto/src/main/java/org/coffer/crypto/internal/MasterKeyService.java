package org.coffer.crypto.internal;


import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.ValueCipher;
import org.coffer.spi.ProtectedEntries;
import org.coffer.spi.support.CofferHome;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The master key service, with its password from the configured source. */
@Component(service = {MasterKey.class, ProtectedEntries.class}, configurationPid = MasterKeyService.PID)
@Designate(ocd = MasterKeyConfig.class)
public final class MasterKeyService implements MasterKey, ProtectedEntries {

    static final String PID = "org.coffer.crypto";
    static final String FILE_PROPERTY = "coffer.credentialprovider.password.file";
    static final String PINEAPPLE_FILE_PROPERTY = "pineapple.credentialprovider.password.file";

    private final MasterKey key;
    private final Set<KeyringEntry> ownEntries;
    private final SuppliedPassword supplied;

    @Activate
    public MasterKeyService(MasterKeyConfig config, BundleContext context) {
        // declared whatever the source: an entry named like the master password never resolves
        this.ownEntries = config.keyring_service().isBlank() || config.keyring_username().isBlank() ? Set.of()
                : Set.of(new KeyringEntry(config.keyring_service().strip(), config.keyring_username().strip()));
        this.supplied = "keyring".equals(config.source()) && !ownEntries.isEmpty()
                ? new SuppliedPassword(ownEntries.iterator().next()) : null;
        this.key = keyOf(config, context::getProperty, System.getenv(), supplied == null ? () -> null : supplied::chars);
    }

    /** @return the keyring entry the master password may be kept in */
    @Override
    public Set<KeyringEntry> protectedEntries() {
        return ownEntries;
    }

    /** @return whether the master password comes from the keyring and the provider has not supplied it yet */
    @Override
    public boolean awaitsEntries() {
        return supplied != null && supplied.awaited();
    }

    /** The provider hands over the keyring entry that holds the master password. */
    @Override
    public void supply(KeyringEntry entry, Secret value) {
        if (supplied != null) {
            supplied.take(entry, value);
        }
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

    /**
     * @param keyringPassword the master password the provider supplied from the keyring,
     *        or {@code null} while it has supplied none
     */
    static MasterKey keyOf(MasterKeyConfig config, UnaryOperator<String> properties, Map<String, String> env,
            Supplier<char[]> keyringPassword) {
        switch (config.source()) {
            case "env":
                String variable = config.environment_variable();
                return new PasswordMasterKey("the environment variable " + variable,
                        () -> Optional.ofNullable(env.get(variable)).map(String::toCharArray).orElse(null));
            case "keyring":
                String service = config.keyring_service();
                String username = config.keyring_username();
                return new PasswordMasterKey("the keyring entry " + service + "/" + username, keyringPassword);
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
