package org.coffer.backend.keyctl.internal;

import java.util.concurrent.atomic.AtomicReference;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.PlatformProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.condition.Condition;

/**
 * Tries the kernel keyring once per configuration: on Linux, libkeyutils loads and the
 * configured keyring can be reached. Then it holds the condition {@value #CONDITION}
 * that {@link KeyctlBackend} waits for; otherwise it publishes a {@link BackendAbsence}
 * with the reason, for {@code keyring:backends --all}.
 */
@Component(service = {}, configurationPid = KeyctlBackend.PID, immediate = true)
public final class KeyctlProbe extends PlatformProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.keyctl";

    @Activate
    public KeyctlProbe(BundleContext context, KeyctlConfig config) {
        super(context, CONDITION, Condition.INSTANCE, config.name(), whyNot(config.keyring()));
    }

    /** @return why the kernel keyring cannot be used here, or {@code null} if it can */
    static String whyNot(String keyring) {
        AtomicReference<Keyctl> keyctl = new AtomicReference<>();
        String why = PlatformProbe.whyNot(System.getProperty("os.name", ""), "linux", "The kernel keyring (keyctl)",
                "Linux", () -> keyctl.set(LibKeyutils.load()), error -> "libkeyutils could not be loaded (" + error
                + "); install it (Debian: apt-get install libkeyutils1)");
        return why != null ? why : whyNot(keyctl.get(), keyring);
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
