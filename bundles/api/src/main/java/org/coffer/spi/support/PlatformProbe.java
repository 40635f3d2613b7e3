package org.coffer.spi.support;

import java.util.Locale;
import java.util.function.Function;
import org.coffer.spi.BackendAbsence;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The probe of a backend that works on one operating system through a native library
 * (the kernel keyring on Linux, the Keychain on macOS, the Credential Manager on
 * Windows): once per configuration it publishes the condition its backend waits for, or
 * a {@link BackendAbsence} with the reason ({@link BackendAvailability}), and withdraws it
 * when it is deactivated.
 *
 * <p>A subclass is the Declarative Services component ({@code service = {}}, immediate,
 * with its backend's configuration PID): its {@code @Activate} constructor gives the
 * reason, usually from {@link #whyNot}, and SCR deactivates it through the inherited
 * {@link #deactivate()}, the method name Declarative Services calls by default.
 */
@ConsumerType
public abstract class PlatformProbe {

    private final ServiceRegistration<?> published;

    /**
     * Publishes the condition, or the absence when there is a reason.
     *
     * @param context the probe's bundle context
     * @param conditionId the {@code osgi.condition.id} the backend waits for
     * @param condition the condition object ({@code Condition.INSTANCE} of the bundle's own copy of the package)
     * @param backend the backend's name
     * @param reason why the backend cannot work here, or {@code null} when it can
     */
    protected PlatformProbe(BundleContext context, String conditionId, Object condition, String backend,
            String reason) {
        this(context, conditionId, condition, backend, reason, false);
    }

    /**
     * Publishes the condition, or the absence when there is a reason.
     *
     * @param context the probe's bundle context
     * @param conditionId the {@code osgi.condition.id} the backend waits for
     * @param condition the condition object ({@code Condition.INSTANCE} of the bundle's own copy of the package)
     * @param backend the backend's name
     * @param reason why the backend cannot work now, or {@code null} when it can
     * @param configured whether the backend is set up to work here and only cannot reach its store now
     *        ({@link BackendAbsence#configured()}), rather than impossible on this machine
     * @since 1.1
     */
    protected PlatformProbe(BundleContext context, String conditionId, Object condition, String backend,
            String reason, boolean configured) {
        this.published = BackendAvailability.publish(context, conditionId, condition, backend, reason, configured);
    }

    /** Withdraws what the constructor published; nothing if the bundle is stopping already. */
    protected void deactivate() {
        BackendAvailability.withdraw(published);
    }

    /**
     * Why a store of one operating system cannot be used here: another system, or a
     * native library that does not load.
     *
     * @param os this system's {@code os.name}
     * @param family how {@code os.name} starts, in lower case, where the store exists: {@code linux},
     *        {@code mac}, {@code windows}
     * @param store the store's name for the message, such as {@code The macOS Keychain}
     * @param system the system's name for the message, such as {@code macOS}
     * @param load loads the store's native library; it throws {@link UnsatisfiedLinkError} or
     *        {@link NoClassDefFoundError} when it cannot
     * @param unloadable the reason when the library does not load, from the error's message
     * @return the reason, or {@code null} when the system is right and the library loads
     */
    public static String whyNot(String os, String family, String store, String system, Runnable load,
            Function<String, String> unloadable) {
        if (!os.toLowerCase(Locale.ROOT).startsWith(family)) {
            return store + " exists on " + system + " only; this is " + os;
        }
        try {
            load.run();
            return null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return unloadable.apply(e.getMessage());
        }
    }
}
