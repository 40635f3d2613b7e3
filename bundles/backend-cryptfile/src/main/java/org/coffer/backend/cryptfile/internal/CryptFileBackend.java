package org.coffer.backend.cryptfile.internal;

import java.nio.file.Path;
import java.util.Map;
import org.coffer.keyringfile.EncryptedKeyringBackend;
import org.coffer.keyringfile.KeyringFileStore;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Python keyrings.cryptfile's {@code CryptFileKeyring}: {@code cryptfile_pass.cfg},
 * every value sealed with AES-128-GCM under an Argon2id key of the keyring password.
 * Python and Coffer read and write the same file.
 *
 * <p>Locked until it gets the password: from another backend an administrator named,
 * from {@code KEYRING_CRYPTFILE_PASSWORD} or {@code COFFER_KEYRING_PASSWORD}, or
 * through {@code keyring:unlock} (which the launcher runs at start, reading the
 * terminal or standard input).
 */
@Component(service = KeyringBackend.class, configurationPid = CryptFileBackend.PID,
        property = {"service.ranking:Integer=" + CryptFileBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + CryptFileBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + CryptFileProbe.CONDITION + ")")
@Designate(ocd = CryptFileConfig.class)
public final class CryptFileBackend extends EncryptedKeyringBackend {

    static final String PID = "org.coffer.backend.cryptfile";
    static final int DEFAULT_RANKING = 250;
    static final String NAME = "cryptfile";
    static final String FILE_NAME = "cryptfile_pass.cfg";

    @Activate
    public CryptFileBackend(CryptFileConfig config) {
        this(fileOf(config, System.getenv()), System.getenv(), config.password_service(), config.password_username());
        limitFileSize(config.max_file_size_mib());
    }

    /**
     * @param file the keyring file; it need not exist yet
     * @param environment where {@code KEYRING_CRYPTFILE_PASSWORD} is looked up
     * @param passwordService the service of another backend's entry holding the password, or empty
     * @param passwordUsername its username
     */
    public CryptFileBackend(Path file, Map<String, String> environment, String passwordService, String passwordUsername) {
        super(NAME, "Python keyrings.cryptfile.cryptfile.CryptFileKeyring", file, new CryptFileCipher(), environment,
                passwordService, passwordUsername);
    }

    /** Python's location: {@code $KEYRING_CRYPTFILE_PATH}, else {@code $XDG_DATA_HOME/python_keyring/cryptfile_pass.cfg}. */
    static Path fileOf(CryptFileConfig config, Map<String, String> env) {
        if (!config.file().isBlank()) {
            return Path.of(config.file());
        }
        String explicit = env.get("KEYRING_CRYPTFILE_PATH");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return KeyringFileStore.pythonDataFile(env, FILE_NAME);
    }

    @Override
    public String description() {
        return "keyrings.cryptfile CryptFileKeyring file " + file() + " (Argon2id, AES-128-GCM)";
    }
}
