package org.coffer.backend.macos.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.KeyringBackend;
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
        Dictionary<String, Object> properties = new Hashtable<>();
        if (reason == null) {
            properties.put(Condition.CONDITION_ID, CONDITION);
            published = context.registerService(Condition.class, Condition.INSTANCE, properties);
        } else {
            String name = config.name();
            properties.put(KeyringBackend.NAME_PROPERTY, name);
            published = context.registerService(BackendAbsence.class, new BackendAbsence() {
                @Override
                public String backend() {
                    return name;
                }

                @Override
                public String reason() {
                    return reason;
                }
            }, properties);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            published.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
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
