package org.coffer.backend.macos.internal;

import java.util.Arrays;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.Diagnosis;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The macOS Keychain in the layout of Python keyring's {@code macOS.Keyring}: generic
 * password items, {@code kSecAttrService} = service, {@code kSecAttrAccount} = username,
 * data = UTF-8. A set deletes the item and adds it anew, as Python does. Registered only
 * on macOS ({@link KeychainProbe}).
 */
@Component(service = KeyringBackend.class, configurationPid = KeychainBackend.PID,
        property = {"service.ranking:Integer=" + KeychainBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + KeychainBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + KeychainProbe.CONDITION + ")")
@Designate(ocd = KeychainConfig.class)
public final class KeychainBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.macos";
    /** As Python keyring's macOS backend: the first choice on macOS. */
    static final int DEFAULT_RANKING = 500;
    static final String NAME = "macos";

    private static final Object WRITING = new Object();

    private final Keychain keychain;
    private final String name;

    @Activate
    public KeychainBackend(KeychainConfig config) {
        this(SecurityFramework.load(), config.name());
    }

    KeychainBackend(Keychain keychain, String name) {
        this.keychain = keychain;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "macOS Keychain (Python keyring macOS.Keyring layout)";
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        Optional<byte[]> data = keychain.find(service, username);
        if (data.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Secret.fromUtf8(data.get()));
        } catch (IllegalArgumentException e) {
            throw new BackendException("The Keychain item of '" + username + "' in '" + service + "' holds data"
                    + " that is not UTF-8 text; Coffer, like Python's keyring, reads text secrets only");
        } finally {
            Arrays.fill(data.get(), (byte) 0);
        }
    }

    @Override
    public void set(String service, String username, Secret secret) {
        byte[] data = secret.utf8();
        try {
            synchronized (WRITING) {
                keychain.delete(service, username);
                keychain.add(service, username, data);
            }
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    @Override
    public boolean delete(String service, String username) {
        synchronized (WRITING) {
            return keychain.delete(service, username);
        }
    }

    @Override
    public Diagnosis diagnose() {
        return Diagnosis.of(name).detail("store", "the user's default Keychain, generic password items")
                .detail("layout", "kSecAttrService = service, kSecAttrAccount = username, UTF-8 data")
                .detail("compatible with", "Python keyring.backends.macOS.Keyring").build();
    }
}
