package org.coffer.backend.encryptedfile.internal;

import org.coffer.keyringfile.EncryptedKeyringBackend;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.ConfigurationProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.condition.Condition;

/**
 * Checks the encryptedfile backend's configuration whenever it changes: while it can work, it
 * holds the condition {@value #CONDITION} that {@link EncryptedFileBackend} waits for; otherwise
 * it publishes a {@link BackendAbsence} with the reason, for {@code keyring:backends
 * --all} and {@code keyring:diagnose}. The state of the file itself is told by the reads
 * and writes, which see it as it is.
 */
@Component(service = {}, configurationPid = EncryptedFileBackend.PID, immediate = true)
public final class EncryptedFileProbe extends ConfigurationProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.encryptedfile";

    @Activate
    public EncryptedFileProbe(BundleContext context, EncryptedFileConfig config) {
        super(context, CONDITION, Condition.INSTANCE);
        modified(config);
    }

    @Modified
    void modified(EncryptedFileConfig config) {
        publish(EncryptedFileBackend.NAME, whyNot(config));
    }

    /** @return why the configuration cannot work, or {@code null} when it can */
    static String whyNot(EncryptedFileConfig config) {
        return EncryptedKeyringBackend.whyNot(EncryptedFileBackend.PID, () -> EncryptedFileBackend.fileOf(config, System.getenv()),
                config::max_file_size_mib, config::password_service, config::password_username);
    }
}
