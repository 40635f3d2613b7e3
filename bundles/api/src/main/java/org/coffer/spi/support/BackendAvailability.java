package org.coffer.spi.support;

import java.util.Dictionary;
import java.util.Hashtable;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.KeyringBackend;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * How a backend says whether it is there: a probe or watcher publishes either the OSGi
 * condition its backend component waits for ({@code osgi.ds.satisfying.condition}) or a
 * {@link BackendAbsence} with the reason. The machine (no bus, another operating
 * system) and the configuration (a path that is no path, a missing setting) are told the
 * same way.
 */
public final class BackendAvailability {

    /** The service name of an OSGi condition; SCR matches a condition by this name. */
    public static final String CONDITION = "org.osgi.service.condition.Condition";
    /** The property that names a condition. */
    public static final String CONDITION_ID = "osgi.condition.id";

    private BackendAvailability() {
    }

    /**
     * @param context the publishing bundle's context
     * @param conditionId the condition the backend waits for
     * @param condition the condition object ({@code Condition.INSTANCE} of the bundle's own copy of the package)
     * @param backend the backend's name
     * @param reason why the backend cannot work here, or {@code null} when it can
     * @return the registration of the condition or of the absence
     */
    public static ServiceRegistration<?> publish(BundleContext context, String conditionId, Object condition,
            String backend, String reason) {
        return publish(context, conditionId, condition, backend, reason, false);
    }

    /**
     * As {@link #publish(BundleContext, String, Object, String, String)}, for a backend that
     * may be set up to work here.
     *
     * @param context the publishing bundle's context
     * @param conditionId the condition the backend waits for
     * @param condition the condition object ({@code Condition.INSTANCE} of the bundle's own copy of the package)
     * @param backend the backend's name
     * @param reason why the backend cannot work now, or {@code null} when it can
     * @param configured whether the backend is set up to work here and only cannot reach its store now
     *        ({@link BackendAbsence#configured()})
     * @return the registration of the condition or of the absence
     * @since 1.1
     */
    public static ServiceRegistration<?> publish(BundleContext context, String conditionId, Object condition,
            String backend, String reason, boolean configured) {
        Dictionary<String, Object> properties = new Hashtable<>();
        if (reason == null) {
            properties.put(CONDITION_ID, conditionId);
            return context.registerService(CONDITION, condition, properties);
        }
        properties.put(KeyringBackend.NAME_PROPERTY, backend);
        return context.registerService(BackendAbsence.class.getName(), new BackendAbsence() {
            @Override
            public String backend() {
                return backend;
            }

            @Override
            public String reason() {
                return reason;
            }

            @Override
            public boolean configured() {
                return configured;
            }
        }, properties);
    }

    /**
     * Withdraws what {@link #publish} registered; nothing if the bundle is stopping already.
     *
     * @param registration the registration, or {@code null}
     */
    public static void withdraw(ServiceRegistration<?> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }
}
