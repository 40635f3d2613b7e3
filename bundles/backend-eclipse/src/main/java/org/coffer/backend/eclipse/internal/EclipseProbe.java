package org.coffer.backend.eclipse.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.ConfigurationProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.condition.Condition;

/**
 * Holds the condition {@value #CONDITION} that {@link EclipseBackend} waits for while
 * its configuration can work and the storage file is there; otherwise it publishes a
 * {@link BackendAbsence} with the reason (no Eclipse has stored anything for this
 * user, or the password file is missing). Only a backend set up in {@code etc/} is a
 * configured absence, which a read that finds nothing names.
 */
@Component(service = {}, configurationPid = EclipseBackend.PID, immediate = true)
public final class EclipseProbe extends ConfigurationProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.eclipse";

    @Activate
    public EclipseProbe(BundleContext context, EclipseConfig config) {
        super(context, CONDITION, Condition.INSTANCE);
        modified(config);
    }

    @Modified
    void modified(EclipseConfig config) {
        // no storage file where none was named: no Eclipse here, which a read that finds nothing need not name
        publish(config.name(), whyNot(config, System.getenv()), !config.file().isBlank()
                || !config.password_file().isBlank() || !config.password_service().isBlank());
    }

    /** @return why the backend cannot work, or {@code null} when it can */
    static String whyNot(EclipseConfig config, Map<String, String> env) {
        String wrong = whyNot(EclipseBackend.PID, () -> {
            if (config.name().isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            EclipseBackend.fileOf(config, env);
            if (!config.password_file().isBlank() && !Files.isReadable(Path.of(config.password_file()))) {
                throw new IllegalArgumentException("the password file " + config.password_file() + " cannot be read");
            }
        });
        if (wrong != null) {
            return wrong;
        }
        Path file = EclipseBackend.fileOf(config, env);
        return Files.isRegularFile(file) ? null : "There is no Eclipse secure storage at " + file
                + ": no Eclipse has stored a secret there for this user (file in etc/" + EclipseBackend.PID
                + ".cfg names another)";
    }
}
