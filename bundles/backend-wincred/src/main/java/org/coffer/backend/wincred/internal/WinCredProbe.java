package org.coffer.backend.wincred.internal;

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
 * Holds the condition {@value #CONDITION} that {@link WinCredBackend} waits for on
 * Windows, where advapi32.dll loads; elsewhere a {@link BackendAbsence} says why.
 */
@Component(service = {}, configurationPid = WinCredBackend.PID, immediate = true)
public final class WinCredProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.wincred";

    private final ServiceRegistration<?> published;

    @Activate
    public WinCredProbe(BundleContext context, WinCredConfig config) {
        String reason = whyNot(System.getProperty("os.name", ""));
        published = BackendAvailability.publish(context, CONDITION, Condition.INSTANCE, config.name(), reason);
    }

    @Deactivate
    void deactivate() {
        BackendAvailability.withdraw(published);
    }

    static String whyNot(String os) {
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            return "The Windows Credential Manager exists on Windows only; this is " + os;
        }
        try {
            Advapi32Credentials.load();
            return null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "advapi32.dll could not be loaded through JNA: " + e.getMessage();
        }
    }
}
