package org.coffer.backend.secretservice.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coffer.spi.BackendAbsence;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/** A bundle context that only keeps the services registered through it, for the watcher without a framework. */
final class RecordingContext {

    private final List<Object> services = new ArrayList<>();

    BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("registerService") || args.length != 3) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Object service = args[1];
                    synchronized (services) {
                        services.add(service);
                    }
                    return registration(service);
                });
    }

    private ServiceRegistration<?> registration(Object service) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("unregister")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    synchronized (services) {
                        if (!services.remove(service)) {
                            throw new IllegalStateException("unregistered twice");
                        }
                    }
                    return null;
                });
    }

    /** @return whether the condition the backend waits for is registered now */
    boolean conditionPublished() {
        synchronized (services) {
            return services.stream().anyMatch(Condition.class::isInstance);
        }
    }

    /** @return the reason of the absence registered now, if one is */
    Optional<String> absence() {
        synchronized (services) {
            return services.stream().filter(BackendAbsence.class::isInstance).map(s -> ((BackendAbsence) s).reason())
                    .findFirst();
        }
    }
}
