package org.coffer.provider.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.coffer.AuditEvent;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.Diagnosis;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.SecretResolver;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * What administrators do with the keyrings: list the backends, installed or not, pin one,
 * unlock and lock, write to a named backend, migrate, diagnose, read the audit. Who may
 * is decided before, in each bundle's {@link CallerView}.
 */
final class Administration implements KeyringAdmin {

    /** What the administration reads that the OSGi wiring keeps current. */
    interface Surroundings {
        /** @return SCR, or {@code null} when there is none (tests) */
        ServiceComponentRuntime componentRuntime();

        /** @return the absences the backends' probes published */
        List<BackendAbsence> absences();

        /** @return the resolvers of reference schemes */
        List<SecretResolver> resolvers();

        /** @return the access policy in one line, for the diagnosis */
        String accessPolicy();
    }

    private final BackendChain chain;
    private final BoundBackends bound;
    private final Keyrings keyrings;
    private final EntrySupply supply;
    private final StoredPin storedPin;
    private final Audit audit;
    private final Surroundings surroundings;

    Administration(BackendChain chain, BoundBackends bound, Keyrings keyrings, EntrySupply supply, StoredPin storedPin,
            Audit audit, Surroundings surroundings) {
        this.chain = chain;
        this.bound = bound;
        this.keyrings = keyrings;
        this.supply = supply;
        this.storedPin = storedPin;
        this.audit = audit;
        this.surroundings = surroundings;
    }

    @Override
    public List<BackendInfo> backends() {
        return chain.infos();
    }

    @Override
    public List<BackendInfo> allBackends() {
        List<BackendInfo> all = new ArrayList<>(chain.infos());
        all.addAll(bound.refused());
        return InstalledBackends.of(all, surroundings.componentRuntime(), surroundings.absences());
    }

    @Override
    public BackendInfo activeBackend() {
        RankedBackend active = chain.active();
        return chain.infos().stream().filter(b -> b.name().equals(active.name)).findFirst()
                .orElseThrow(() -> new CofferException("The active backend " + active.name + " just went away; try again"));
    }

    @Override
    public void use(String name) {
        List<BackendInfo> known = allBackends();
        if (known.stream().noneMatch(b -> b.name().equals(name))) {
            throw new IllegalArgumentException("No keyring backend is named '" + name + "'. Known backends: "
                    + known.stream().map(BackendInfo::name).collect(Collectors.joining(", "))
                    + (known.isEmpty() ? "none" : "") + ".");
        }
        storedPin.write(name);
        chain.pin(name);
    }

    @Override
    public void useAutomatic() {
        storedPin.write("");
        chain.pin(StoredPin.orPythonChoice(null));
    }

    @Override
    public Optional<String> pinned() {
        return Optional.ofNullable(chain.pinned());
    }

    /** An unlocked backend may hold what another backend or the master key awaits. */
    @Override
    public void unlock(String backend, Secret password) {
        chain.named(backend).backend.unlock(password);
        supply.supplyAwaiting();
    }

    @Override
    public void lock(String backend) {
        chain.named(backend).backend.lock();
    }

    @Override
    public String repair(String backend) {
        return chain.named(backend).backend.repair();
    }

    @Override
    public void setExpiring(String backend, String service, String username, Secret secret, Duration lifetime) {
        Keyrings.checkNames(service, username);
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("An entry that expires needs a lifetime above zero, not " + lifetime);
        }
        chain.named(backend).backend.setExpiring(service, username, secret, lifetime);
        keyrings.written(service, username);
    }

    @Override
    public List<KeyringEntry> entries(String backend) {
        KeyringBackend named = chain.named(backend).backend;
        if (!named.canEnumerate()) {
            throw new IllegalArgumentException("The backend '" + backend + "' cannot list its entries");
        }
        return List.copyOf(named.entries());
    }

    @Override
    public void set(String backend, String service, String username, Secret secret) {
        Keyrings.checkNames(service, username);
        chain.named(backend).backend.set(service, username, secret);
        keyrings.written(service, username);
    }

    @Override
    public boolean delete(String backend, String service, String username) {
        Keyrings.checkNames(service, username);
        return chain.named(backend).backend.delete(service, username);
    }

    @Override
    public List<KeyringEntry> migrate(String from, String to, boolean deleteSource) {
        return migrate(from, to, deleteSource, (done, total) -> { });
    }

    @Override
    public List<KeyringEntry> migrate(String from, String to, boolean deleteSource, Progress progress) {
        return new Migration(chain).run(from, to, deleteSource, progress);
    }

    @Override
    public List<Diagnosis> diagnose() {
        return ProviderDiagnosis.of(chain, surroundings.resolvers(), allBackends(), surroundings.accessPolicy());
    }

    @Override
    public List<AuditEvent> audit(long after) {
        return audit.after(after);
    }
}
