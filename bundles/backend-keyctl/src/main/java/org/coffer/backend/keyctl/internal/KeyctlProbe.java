package org.coffer.backend.keyctl.internal;

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
 * Tries the kernel keyring once per configuration: on Linux, libkeyutils loads and the
 * configured keyring can be reached. Then it holds the condition {@value #CONDITION}
 * that {@link KeyctlBackend} waits for; otherwise it publishes a {@link BackendAbsence}
 * with the reason, for {@code keyring:backends --all}.
 */
@Component(service = {}, configurationPid = KeyctlBackend.PID, immediate = true)
public final class KeyctlProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.keyctl";

    private final ServiceRegistration<?> published;

    @Activate
    public KeyctlProbe(BundleContext context, KeyctlConfig config) {
        String reason = whyNot(config.keyring());
        published = BackendAvailability.publish(context, CONDITION, Condition.INSTANCE, config.name(), reason);
    }

    @Deactivate
    void deactivate() {
        BackendAvailability.withdraw(published);
    }

    /** @return why the kernel keyring cannot be used here, or {@code null} if it can */
    static String whyNot(String keyring) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "The kernel keyring (keyctl) exists on Linux only; this is " + os;
        }
        Keyctl keyctl;
        try {
            keyctl = LibKeyutils.load();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "libkeyutils could not be loaded (" + e.getMessage() + "); install it (Debian: apt-get install"
                    + " libkeyutils1)";
        }
        return whyNot(keyctl, keyring);
    }

    static String whyNot(Keyctl keyctl, String keyring) {
        try {
            KeyctlTarget target = new KeyctlTarget(keyctl, keyring);
            try {
                target.serial();
            } catch (KeyctlException e) {
                return "The kernel refused " + target + ": " + e.getMessage();
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
