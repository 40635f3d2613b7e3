package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.coffer.BackendInfo;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.support.Ranking;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Every keyring backend installed, registered or not: those the chain holds, then each
 * backend component SCR knows that is not registered, with the reason. A backend that
 * waits for its condition takes the reason its probe gives in a {@link BackendAbsence};
 * the state SCR reports (disabled, waiting for a configuration or a service) is told as
 * it is, and no failure text is read.
 */
final class InstalledBackends {

    private static final String CONDITION_REFERENCE = "osgi.ds.satisfying.condition";

    private InstalledBackends() {
    }

    static List<BackendInfo> of(List<BackendInfo> registered, ServiceComponentRuntime runtime,
            List<BackendAbsence> absences) {
        List<BackendInfo> all = new ArrayList<>(registered);
        if (runtime == null) {
            return all;
        }
        List<BackendInfo> unavailable = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (!List.of(description.serviceInterfaces).contains(KeyringBackend.class.getName())) {
                continue;
            }
            Object nameProperty = description.properties.get(KeyringBackend.NAME_PROPERTY);
            String name = nameProperty != null ? nameProperty.toString() : description.name;
            java.util.function.Predicate<BackendInfo> named = b -> b.name().equals(name);
            if (all.stream().anyMatch(named) || unavailable.stream().anyMatch(named)) {
                continue;
            }
            String absence = absences.stream().filter(a -> a.backend().equals(name)).map(BackendAbsence::reason)
                    .findFirst().orElse(null);
            int ranking = Ranking.of(description.properties.get("service.ranking"));
            unavailable.add(new BackendInfo(name, description.name, ranking, false, false, false,
                    reason(runtime, description, absence)));
        }
        // in a fixed order, whatever order their bundles were installed in: highest ranking first, then by name
        unavailable.sort(java.util.Comparator.comparingInt(BackendInfo::ranking).reversed()
                .thenComparing(BackendInfo::name));
        all.addAll(unavailable);
        return all;
    }

    private static String reason(ServiceComponentRuntime runtime, ComponentDescriptionDTO description,
            String absence) {
        if (!runtime.isComponentEnabled(description)) {
            return "its component is disabled";
        }
        Collection<ComponentConfigurationDTO> configurations = runtime.getComponentConfigurationDTOs(description);
        List<String> reasons = new ArrayList<>();
        for (ComponentConfigurationDTO configuration : configurations) {
            switch (configuration.state) {
                case ComponentConfigurationDTO.FAILED_ACTIVATION:
                    // a backend says why it cannot work through its probe's absence; anything else is a defect
                    reasons.add("it failed to activate; the framework's log says why");
                    break;
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                    reasons.add("it waits for its configuration " + String.join(", ", description.configurationPid));
                    break;
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                    List<String> missing = List.of(configuration.unsatisfiedReferences).stream().map(r -> r.name)
                            .collect(Collectors.toList());
                    if (absence != null && missing.equals(List.of(CONDITION_REFERENCE))) {
                        reasons.add(absence);
                    } else {
                        reasons.add("it waits for " + String.join(", ", missing));
                    }
                    break;
                default:
                    reasons.add("it is registered but did not answer");
            }
        }
        if (reasons.isEmpty() && absence != null) {
            return absence;
        }
        return reasons.isEmpty() ? "it has no configuration" : String.join("; ", reasons);
    }
}
