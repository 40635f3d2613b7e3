package org.coffer.backend.plaintext.internal;

import java.util.Map;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.ConfigurationProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.condition.Condition;

/**
 * Checks the plaintext backend's configuration whenever it changes: while it can work,
 * it holds the condition {@value #CONDITION} that {@link PlaintextBackend} waits for;
 * otherwise it publishes a {@link BackendAbsence} with the reason, for {@code
 * keyring:backends --all} and {@code keyring:diagnose}. The state of the file itself (a
 * folder in its place, a damaged line) is told by the reads and writes, which see it as it is.
 */
@Component(service = {}, configurationPid = PlaintextBackend.PID, immediate = true)
public final class PlaintextProbe extends ConfigurationProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.plaintext";

    @Activate
    public PlaintextProbe(BundleContext context, PlaintextConfig config) {
        super(context, CONDITION, Condition.INSTANCE);
        modified(config);
    }

    @Modified
    void modified(PlaintextConfig config) {
        publish(PlaintextBackend.NAME, whyNot(config, System.getenv()));
    }

    /** @return why the configuration cannot work, or {@code null} when it can */
    static String whyNot(PlaintextConfig config, Map<String, String> env) {
        return whyNot(PlaintextBackend.PID, () -> {
            PlaintextBackend.fileOf(config, env);
            if (config.max_file_size_mib() < 1) {
                throw new IllegalArgumentException("max.file.size.mib must be 1 or more, not "
                        + config.max_file_size_mib());
            }
            if (config.name().isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
        });
    }
}
