package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.coffer.BackendInfo;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.support.Ranking;
import org.osgi.framework.Bundle;

/**
 * Every backend service bound, with its bundle and properties. The access policy decides
 * which of them the chain holds: a backend of a refused bundle stays out, and comes in
 * once the policy admits it.
 */
final class BoundBackends {

    private final BackendChain chain;
    private final Supplier<AccessPolicy> policy;
    private final Map<KeyringBackend, Bound> bound = new ConcurrentHashMap<>();

    /** A bound backend service; the bundle is null for a backend of no bundle (tests, benchmarks). */
    private record Bound(Bundle bundle, Map<String, Object> properties) {
    }

    BoundBackends(BackendChain chain, Supplier<AccessPolicy> policy) {
        this.chain = chain;
        this.policy = policy;
    }

    /** Binds a backend, or binds it again with new properties. */
    void put(Bundle bundle, KeyringBackend backend, Map<String, Object> properties) {
        Bound b = new Bound(bundle, properties);
        bound.put(backend, b);
        admit(backend, b);
    }

    /** A backend's service went away: by itself while its bundle runs, or with its bundle. */
    void remove(KeyringBackend backend) {
        Bound gone = bound.remove(backend);
        Bundle bundle = gone == null ? null : gone.bundle();
        chain.leave(backend, () -> bundle == null || bundle.getState() == Bundle.ACTIVE);
    }

    /** @return every bound backend, admitted or not: all of them declare their own entries */
    Iterable<KeyringBackend> all() {
        return List.copyOf(bound.keySet());
    }

    /** @return the bundle that registered the backend; {@code null} for none or a backend gone */
    Bundle bundleOf(KeyringBackend backend) {
        Bound b = bound.get(backend);
        return b == null ? null : b.bundle();
    }

    /** Decides again for every backend, after the policy changed. */
    void readmit() {
        bound.forEach(this::admit);
    }

    /** The backends the policy keeps out of the chain, each with the reason. */
    List<BackendInfo> refused() {
        List<BackendInfo> refused = new ArrayList<>();
        AccessPolicy current = policy.get();
        bound.forEach((backend, b) -> {
            String refusal = current.refusesBackendsOf(b.bundle());
            if (refusal != null) {
                refused.add(new BackendInfo(backend.name(), backend.description(),
                        Ranking.of(b.properties().get("service.ranking")), false, false, false,
                        "ignored: " + refusal));
            }
        });
        return refused;
    }

    private void admit(KeyringBackend backend, Bound b) {
        if (policy.get().refusesBackendsOf(b.bundle()) == null) {
            chain.add(backend, b.properties());
        } else {
            chain.remove(backend);
        }
    }
}
