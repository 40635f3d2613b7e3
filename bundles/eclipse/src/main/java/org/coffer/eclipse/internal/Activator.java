package org.coffer.eclipse.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import org.coffer.CredentialProvider;
import org.coffer.spi.ProtectedEntries;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Gives the password provider, which the extension registry makes, its way to Coffer:
 * the credential provider as this bundle sees it (so the access policy and the audit know
 * the caller as {@code org.coffer.eclipse}). Declares the master password entries as
 * protected: no configuration reference resolves them.
 */
public final class Activator implements BundleActivator {

    /** How long a password request waits for Coffer's provider to start, in ms (framework property). */
    static final String WAIT = "coffer.eclipse.wait";

    private static volatile Activator running;

    private ServiceTracker<CredentialProvider, CredentialProvider> provider;
    private ServiceRegistration<ProtectedEntries> declared;
    private long wait;
    private final StorageEntries entries = new StorageEntries();
    private final MasterPasswords passwords = new MasterPasswords(this::coffer, entries);

    @Override
    public void start(BundleContext context) {
        String configured = context.getProperty(WAIT);
        wait = configured == null ? 10_000 : Long.parseLong(configured.trim());
        provider = new ServiceTracker<>(context, CredentialProvider.class, null);
        provider.open();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_DESCRIPTION, "the master passwords of Eclipse's secure storages");
        declared = context.registerService(ProtectedEntries.class, entries, properties);
        running = this;
    }

    @Override
    public void stop(BundleContext context) {
        running = null;
        declared.unregister();
        provider.close();
    }

    /**
     * @return the master passwords, through Coffer's provider
     * @throws MasterPasswordUnavailableException if this bundle is not active
     */
    static MasterPasswords masterPasswords() {
        Activator activator = running;
        if (activator == null) {
            throw new MasterPasswordUnavailableException("Coffer's Eclipse bundle (org.coffer.eclipse) is not active");
        }
        return activator.passwords;
    }

    private CredentialProvider coffer() {
        try {
            CredentialProvider found = provider.waitForService(wait);
            if (found == null) {
                throw new MasterPasswordUnavailableException("Coffer's credential provider (org.coffer.provider) did"
                        + " not start within " + wait + " ms in this framework");
            }
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MasterPasswordUnavailableException("interrupted while waiting for Coffer's credential provider", e);
        }
    }
}
