package org.coffer.backend.wincred.internal;

import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.PlatformProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.condition.Condition;

/**
 * Holds the condition {@value #CONDITION} that {@link WinCredBackend} waits for on
 * Windows, where advapi32.dll loads; elsewhere a {@link BackendAbsence} says why.
 */
@Component(service = {}, configurationPid = WinCredBackend.PID, immediate = true)
public final class WinCredProbe extends PlatformProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.wincred";

    @Activate
    public WinCredProbe(BundleContext context, WinCredConfig config) {
        super(context, CONDITION, Condition.INSTANCE, config.name(), whyNot(System.getProperty("os.name", "")));
    }

    static String whyNot(String os) {
        return PlatformProbe.whyNot(os, "windows", "The Windows Credential Manager", "Windows",
                Advapi32Credentials::load, why -> "advapi32.dll could not be loaded through JNA: " + why);
    }
}
