package org.coffer.backend.etcd.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code etcd:rotate [NAME]}: seals every value of an etcd backend again under a new
 * data key. An administrator's command of the container's shell, like {@code keyring:*}.
 */
@Component(service = EtcdCommands.class,
        property = {"osgi.command.scope=etcd", "osgi.command.function=rotate"})
public final class EtcdCommands {

    private final List<EtcdBackend> backends = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + KeyringBackend.NAME_PROPERTY + "=*)")
    void bind(KeyringBackend backend) {
        if (backend instanceof EtcdBackend) {
            backends.add((EtcdBackend) backend);
        }
    }

    void unbind(KeyringBackend backend) {
        backends.remove(backend);
    }

    /** Rotates the only etcd backend. */
    public String rotate() {
        if (backends.size() != 1) {
            throw new IllegalArgumentException(backends.isEmpty() ? "No etcd backend is configured"
                    : "Several etcd backends are configured; name one: etcd:rotate NAME");
        }
        return rotate(backends.get(0).name());
    }

    /** Rotates the etcd backend of that name. */
    public String rotate(String name) {
        for (EtcdBackend backend : backends) {
            if (backend.name().equals(name)) {
                int moved = backend.rotate();
                return "Sealed " + moved + " values of " + name + " again under a new data key; the old one is deleted";
            }
        }
        throw new IllegalArgumentException("No etcd backend is named '" + name + "'");
    }
}
