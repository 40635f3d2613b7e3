package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.Diagnosis;
import org.coffer.spi.SecretResolver;

/** What {@code keyring:diagnose} shows of the provider and of every backend. */
final class ProviderDiagnosis {

    private ProviderDiagnosis() {
    }

    static List<Diagnosis> of(BackendChain chain, List<SecretResolver> resolvers, List<BackendInfo> installed,
            String accessPolicy) {
        List<Diagnosis> all = new ArrayList<>();
        Diagnosis.Builder provider = Diagnosis.of("provider");
        List<BackendInfo> viable = chain.infos();
        provider.detail("backends", viable.stream().map(b -> b.name() + " (" + b.ranking() + ")")
                .collect(Collectors.joining(", ")));
        provider.detail("active backend", viable.stream().filter(BackendInfo::active).map(BackendInfo::name)
                .findFirst().orElse("none"));
        provider.detail("pinned backend", chain.pinned() == null ? "none (highest ranking wins)" : chain.pinned());
        provider.detail("access policy", accessPolicy);
        provider.detail("resolver schemes", "keyring" + resolvers.stream().map(r -> ", " + r.scheme())
                .collect(Collectors.joining()));
        chain.failures().snapshot().forEach((backend, failure) ->
                provider.warning("The last read of '" + backend + "' failed at " + failure));
        if (viable.isEmpty()) {
            provider.warning(BackendChain.NO_KEYRING);
        }
        try {
            chain.active();
        } catch (CofferException e) {
            if (!viable.isEmpty()) {
                provider.warning(e.getMessage());
            }
        }
        all.add(provider.build());
        for (RankedBackend r : chain.snapshot()) {
            try {
                all.add(r.backend.diagnose());
            } catch (RuntimeException e) {
                all.add(Diagnosis.of(r.name).warning("Its diagnosis failed: " + e.getMessage()).build());
            }
        }
        for (BackendInfo backend : installed) {
            if (!backend.viable()) {
                all.add(Diagnosis.of(backend.name()).detail("component", backend.description())
                        .warning("Not available: " + backend.reason()).build());
            }
        }
        return all;
    }
}
