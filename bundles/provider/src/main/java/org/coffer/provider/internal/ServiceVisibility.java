package org.coffer.provider.internal;

import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * While the access policy is enforced, the services behind the provider are out of
 * other bundles' sight: a {@code KeyringBackend} is seen only by the provider, the
 * framework and the bundle that registered it, so no bundle reads a keyring around the
 * policy; the master key only by Coffer's own bundles and those {@code masterkey} names.
 * OSGi service hooks hide them from lookups and from service events alike.
 */
final class ServiceVisibility implements FindHook, EventListenerHook {

    private static final String BACKEND = org.coffer.spi.KeyringBackend.class.getName();
    private static final String MASTER_KEY = "org.coffer.crypto.MasterKey";

    private final Bundle provider;
    private final Supplier<AccessPolicy> policy;

    ServiceVisibility(Bundle provider, Supplier<AccessPolicy> policy) {
        this.provider = provider;
        this.policy = policy;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        AccessPolicy current = policy.get();
        if (!"enforce".equals(current.mode())) {
            return;
        }
        references.removeIf(reference -> hidden(current, context.getBundle(), reference));
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        AccessPolicy current = policy.get();
        if (!"enforce".equals(current.mode())) {
            return;
        }
        listeners.keySet().removeIf(context -> hidden(current, context.getBundle(), event.getServiceReference()));
    }

    private boolean hidden(AccessPolicy current, Bundle viewer, ServiceReference<?> reference) {
        Object classes = reference.getProperty(Constants.OBJECTCLASS);
        if (!(classes instanceof String[]) || viewer == null || viewer.getBundleId() == 0 || viewer.equals(provider)
                || viewer.equals(reference.getBundle())) {
            return false;
        }
        for (String name : (String[]) classes) {
            if (BACKEND.equals(name)) {
                return true;
            }
            if (MASTER_KEY.equals(name)) {
                return !current.maySeeMasterKey(viewer);
            }
        }
        return false;
    }
}
