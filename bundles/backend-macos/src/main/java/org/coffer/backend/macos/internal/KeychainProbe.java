package org.coffer.backend.macos.internal;

import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.PlatformProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.condition.Condition;

/**
 * Holds the condition {@value #CONDITION} that {@link KeychainBackend} waits for on macOS,
 * where the Security framework loads; elsewhere a {@link BackendAbsence} says why.
 */
@Component(service = {}, configurationPid = KeychainBackend.PID, immediate = true)
public final class KeychainProbe extends PlatformProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.macos";

    @Activate
    public KeychainProbe(BundleContext context, KeychainConfig config) {
        super(context, CONDITION, Condition.INSTANCE, config.name(), whyNot(System.getProperty("os.name", "")));
    }

    static String whyNot(String os) {
        return PlatformProbe.whyNot(os, "mac", "The macOS Keychain", "macOS", SecurityFramework::load,
                why -> "the Security framework could not be loaded through JNA: " + why);
    }
}
