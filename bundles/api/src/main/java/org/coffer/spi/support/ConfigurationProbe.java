package org.coffer.spi.support;

import java.util.Objects;
import org.coffer.spi.BackendAbsence;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The probe of a backend whose availability is its configuration (the keyring files,
 * etcd): each time the configuration changes it publishes the condition its backend
 * waits for, or a {@link BackendAbsence} with the reason ({@link BackendAvailability}),
 * and publishes again only when the outcome changed, so that a new ranking does not
 * restart the backend.
 *
 * <p>A subclass is the Declarative Services component ({@code service = {}}, immediate,
 * with its backend's configuration PID): its {@code @Activate} constructor and its
 * {@code @Modified} method call {@link #publish} with the reason, usually from
 * {@link #whyNot}, and SCR deactivates it through the inherited {@link #deactivate()},
 * the method name Declarative Services calls by default.
 */
@ConsumerType
public abstract class ConfigurationProbe {

    private final BundleContext context;
    private final String conditionId;
    private final Object condition;
    private ServiceRegistration<?> registration;
    private String backend;
    private String reason;

    /**
     * @param context the probe's bundle context
     * @param conditionId the {@code osgi.condition.id} the backend waits for
     * @param condition the condition object ({@code Condition.INSTANCE} of the bundle's own copy of the package)
     */
    protected ConfigurationProbe(BundleContext context, String conditionId, Object condition) {
        this.context = context;
        this.conditionId = conditionId;
        this.condition = condition;
    }

    /**
     * Publishes the condition, or the absence when there is a reason, unless it is published already.
     *
     * @param backend the backend's name
     * @param reason why the backend cannot work with its configuration, or {@code null} when it can
     */
    protected final void publish(String backend, String reason) {
        // a configuration that cannot work is a backend set up to be here: a read that finds nothing names it
        publish(backend, reason, true);
    }

    /**
     * Publishes the condition, or the absence when there is a reason, unless it is published already.
     *
     * @param backend the backend's name
     * @param reason why the backend cannot work, or {@code null} when it can
     * @param configured whether it was set up to be here (a read that finds nothing names
     *        its absence), or is simply not here (no store of its kind on this machine)
     * @since 1.2
     */
    protected final synchronized void publish(String backend, String reason, boolean configured) {
        if (registration != null && Objects.equals(reason, this.reason)
                && (reason == null || Objects.equals(backend, this.backend))) {
            return;
        }
        BackendAvailability.withdraw(registration);
        this.backend = backend;
        this.reason = reason;
        registration = BackendAvailability.publish(context, conditionId, condition, backend, reason, configured);
    }

    /** Withdraws what is published; nothing if the bundle is stopping already. */
    protected synchronized void deactivate() {
        BackendAvailability.withdraw(registration);
        registration = null;
    }

    /**
     * Checks a configuration the way the backend's component will read it.
     *
     * @param pid the configuration's PID, for the reason
     * @param check reads the configuration as the backend does; throws when it cannot work
     * @return why the configuration cannot work, or {@code null} when it can
     */
    public static String whyNot(String pid, Runnable check) {
        try {
            check.run();
            return null;
        } catch (RuntimeException e) {
            return "Its configuration " + pid + " cannot work: " + e.getMessage() + ". Correct it (etc/" + pid
                    + ".cfg, or ConfigAdmin)";
        }
    }
}
