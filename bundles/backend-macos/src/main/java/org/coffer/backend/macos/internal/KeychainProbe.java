package org.coffer.backend.macos.internal;

import java.util.Locale;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.BackendAvailability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.condition.Condition;

/**
 * Holds the condition {@value #CONDITION} that {@link KeychainBackend} waits for on macOS,
 * where the Security framework loads; elsewhere a {@link BackendAbsence} says why.
 */
@Component(service = {}, configurationPid = KeychainBackend.PID, immediate = true)
public final class KeychainProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.macos";

    private final ServiceRegistration<?> published;

    @Activate
    public KeychainProbe(BundleContext context, KeychainConfig config) {
        String reason = whyNot(System.getProperty("os.name", ""));
        published = BackendAvailability.publish(context, CONDITION, Condition.INSTANCE, config.name(), reason);
    }

    @Deactivate
    void deactivate() {
        BackendAvailability.withdraw(published);
    }

    static String whyNot(String os) {
        if (!os.toLowerCase(Locale.ROOT).startsWith("mac")) {
            return "The macOS Keychain exists on macOS only; this is " + os;
        }
        try {
            SecurityFramework.load();
            return null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "the Security framework could not be loaded through JNA: " + e.getMessage();
        }
    }
}
