package org.coffer.backend.etcd.internal;

import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.ConfigurationProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.condition.Condition;

/**
 * Checks the etcd backend's configuration whenever it changes: endpoints, where the
 * key-encryption key comes from, the TLS files. While it can work, it holds the
 * condition {@value #CONDITION} that {@link EtcdBackend} waits for; otherwise it
 * publishes a {@link BackendAbsence} with the reason, for {@code keyring:backends --all}
 * and {@code keyring:diagnose}. A cluster that does not answer is the backend's own
 * diagnosis, not an absence.
 */
@Component(service = {}, configurationPid = EtcdBackend.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
public final class EtcdProbe extends ConfigurationProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.etcd";

    @Activate
    public EtcdProbe(BundleContext context, EtcdConfig config) {
        super(context, CONDITION, Condition.INSTANCE);
        modified(config);
    }

    @Modified
    void modified(EtcdConfig config) {
        publish(EtcdBackend.NAME, whyNot(config));
    }

    /** @return why the configuration cannot work, or {@code null} when it can */
    static String whyNot(EtcdConfig config) {
        return whyNot(EtcdBackend.PID, () -> {
            EtcdBackend.Settings.of(config);
            Tls.context(config.tls_ca(), config.tls_cert(), config.tls_key());
        });
    }
}
