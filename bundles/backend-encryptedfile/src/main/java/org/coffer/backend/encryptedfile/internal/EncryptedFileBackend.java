package org.coffer.backend.encryptedfile.internal;

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
 * Python keyrings.alt's {@code EncryptedKeyring}: {@code crypted_pass.cfg}, every value
 * sealed with AES-256-CFB8 under a PBKDF2 key of the keyring password. Python and
 * Coffer read and write the same file. Unlocked like the cryptfile backend.
 */
@Component(service = KeyringBackend.class, configurationPid = EncryptedFileBackend.PID,
        property = {"service.ranking:Integer=" + EncryptedFileBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + EncryptedFileBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + EncryptedFileProbe.CONDITION + ")")
@Designate(ocd = EncryptedFileConfig.class)
public final class EncryptedFileBackend extends EncryptedKeyringBackend {

    static final String PID = "org.coffer.backend.encryptedfile";
    static final int DEFAULT_RANKING = 60;
    static final String NAME = "encryptedfile";
    static final String FILE_NAME = "crypted_pass.cfg";

    @Activate
    public EncryptedFileBackend(EncryptedFileConfig config) {
        this(fileOf(config, System.getenv()), System.getenv(), config.password_service(), config.password_username());
        limitFileSize(config.max_file_size_mib());
    }

    /**
     * @param file the keyring file; it need not exist yet
     * @param environment where {@code COFFER_KEYRING_PASSWORD} is looked up
     * @param passwordService the service of another backend's entry holding the password, or empty
     * @param passwordUsername its username
     */
    public EncryptedFileBackend(Path file, Map<String, String> environment, String passwordService,
            String passwordUsername) {
        super(NAME, "Python keyrings.alt.file.EncryptedKeyring", file, new EncryptedFileCipher(), environment,
                passwordService, passwordUsername);
    }

    static Path fileOf(EncryptedFileConfig config, Map<String, String> env) {
        return config.file().isBlank() ? KeyringFileStore.pythonDataFile(env, FILE_NAME) : Path.of(config.file());
    }

    @Override
    public String description() {
        return "keyrings.alt EncryptedKeyring file " + file() + " (PBKDF2, AES-256-CFB8)";
    }
}
