package org.coffer.backend.cryptfile.internal;

import org.coffer.keyringfile.EncryptedKeyringBackend;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.ConfigurationProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.condition.Condition;

/**
 * Checks the cryptfile backend's configuration whenever it changes: while it can work, it
 * holds the condition {@value #CONDITION} that {@link CryptFileBackend} waits for; otherwise
 * it publishes a {@link BackendAbsence} with the reason, for {@code keyring:backends
 * --all} and {@code keyring:diagnose}. The state of the file itself is told by the reads
 * and writes, which see it as it is.
 */
@Component(service = {}, configurationPid = CryptFileBackend.PID, immediate = true)
public final class CryptFileProbe extends ConfigurationProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.cryptfile";

    @Activate
    public CryptFileProbe(BundleContext context, CryptFileConfig config) {
        super(context, CONDITION, Condition.INSTANCE);
        modified(config);
    }

    @Modified
    void modified(CryptFileConfig config) {
        publish(CryptFileBackend.NAME, whyNot(config));
    }

    /** @return why the configuration cannot work, or {@code null} when it can */
    static String whyNot(CryptFileConfig config) {
        return EncryptedKeyringBackend.whyNot(CryptFileBackend.PID, () -> CryptFileBackend.fileOf(config, System.getenv()),
                config::max_file_size_mib, config::password_service, config::password_username);
    }
}
