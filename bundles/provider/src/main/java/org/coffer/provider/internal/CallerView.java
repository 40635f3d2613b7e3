package org.coffer.provider.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.coffer.AccessDeniedException;
import org.coffer.AuditEvent;
import org.coffer.BackendInfo;
import org.coffer.Credential;
import org.coffer.CredentialProvider;
import org.coffer.Diagnosis;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.SecretReference;
import org.coffer.provider.internal.AccessPolicy.Verdict;
import org.coffer.spi.ProtectedEntries;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The provider as one bundle sees it: every call checked against the access policy for
 * that bundle and audited under its name, then done by the {@link KeyringProvider}.
 */
final class CallerView implements CredentialProvider, KeyringAdmin {

    private final Keyrings keyrings;
    private final Administration admin;
    private final Bundle caller;
    /** Who the bundle calls for (a program on the bus), or null. */
    private final String peer;
    private final Supplier<AccessPolicy> policy;
    private final Audit audit;

    /** A view for each bundle that gets the service; nothing is held per bundle. */
    static ServiceFactory<Object> factory(Keyrings keyrings, Administration admin, Supplier<AccessPolicy> policy,
            Audit audit) {
        return new ServiceFactory<>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return new CallerView(keyrings, admin, bundle, policy, audit);
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                // the view holds nothing to release
            }
        };
    }

    CallerView(Keyrings keyrings, Administration admin, Bundle caller, Supplier<AccessPolicy> policy, Audit audit) {
        this(keyrings, admin, caller, policy, audit, null);
    }

    private CallerView(Keyrings keyrings, Administration admin, Bundle caller, Supplier<AccessPolicy> policy,
            Audit audit, String peer) {
        this.keyrings = keyrings;
        this.admin = admin;
        this.caller = caller;
        this.policy = policy;
        this.audit = audit;
        this.peer = peer;
    }

    /** The same bundle's view, its audit records naming the peer after the bundle; its rights unchanged. */
    @Override
    public CredentialProvider forPeer(String peer) {
        return new CallerView(keyrings, admin, caller, policy, audit, peer);
    }

    private void record(String action, String service, String username, String backend, String outcome) {
        audit.record(caller, peer, action, service, username, backend, outcome);
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        return read(service, username, () -> keyrings.get(service, username));
    }

    /**
     * An entry that this bundle's backend or key source declared, read for it by the
     * provider from the other backends ({@link EntrySupply}): checked and audited as the
     * bundle's own read.
     */
    Optional<Secret> getFor(Set<ProtectedEntries> owners, KeyringEntry entry) {
        return read(entry.service(), entry.username(), () -> keyrings.getFor(owners, entry));
    }

    @Override
    public Optional<Credential> getCredential(String service, String username) {
        return read(service, username, () -> keyrings.getCredential(service, username));
    }

    @Override
    public void set(String service, String username, Secret secret) {
        change("WRITE", service, username, () -> {
            keyrings.set(service, username, secret);
            return "ok";
        });
    }

    @Override
    public boolean delete(String service, String username) {
        return "ok".equals(change("DELETE", service, username, () -> keyrings.delete(service, username) ? "ok" : "none"));
    }

    @Override
    public Optional<Secret> resolve(String reference) {
        SecretReference parsed = SecretReference.parse(reference);
        if (SecretReference.KEYRING.equals(parsed.scheme())) {
            try {
                keyrings.refuseReference(parsed.keyringService(), parsed.keyringUsername());
            } catch (AccessDeniedException e) {
                record("READ", parsed.keyringService(), parsed.keyringUsername(), null,
                        "denied: a protected entry never resolves as a reference");
                throw e;
            }
            return get(parsed.keyringService(), parsed.keyringUsername());
        }
        return read(reference, null, () -> keyrings.resolve(reference));
    }

    private <T> Optional<T> read(String service, String username, Supplier<Optional<T>> lookup) {
        String entry = username == null ? service : service + "/" + username;
        check(policy.get().mayRead(caller, entry), "READ", service, username, null, "read " + entry);
        try {
            Optional<T> found = lookup.get();
            record("READ", service, username, null, found.isPresent() ? "ok" : "none");
            return found;
        } catch (RuntimeException e) {
            record("READ", service, username, null, "failed: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    @Override
    public void setExpiring(String backend, String service, String username, Secret secret,
            java.time.Duration lifetime) {
        change("WRITE", service, username, backend, () -> {
            admin.setExpiring(backend, service, username, secret, lifetime);
            return "ok, expires in " + lifetime.getSeconds() + " s";
        });
    }

    private String change(String action, String service, String username, Supplier<String> call) {
        return change(action, service, username, activeName(), call);
    }

    private String change(String action, String service, String username, String backend, Supplier<String> call) {
        String entry = service + "/" + username;
        check(policy.get().mayWrite(caller, entry), action, service, username, backend,
                (action.equals("WRITE") ? "write " : "delete ") + entry);
        try {
            String outcome = call.get();
            record(action, service, username, backend, outcome);
            return outcome;
        } catch (RuntimeException e) {
            record(action, service, username, backend, "failed: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    private void administer(String action, String backend, Runnable call) {
        check(policy.get().mayAdminister(caller), action, null, null, backend, action.toLowerCase(java.util.Locale.ROOT)
                + (backend == null ? "" : " " + backend));
        try {
            call.run();
            record(action, null, null, backend, "ok");
        } catch (RuntimeException e) {
            record(action, null, null, backend, "failed: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    private void check(Verdict verdict, String action, String service, String username, String backend, String what) {
        if (verdict == Verdict.ALLOWED) {
            return;
        }
        if (verdict == Verdict.WOULD_BE_DENIED) {
            record(action, service, username, backend, "would be denied");
            return;
        }
        record(action, service, username, backend, "denied");
        String name = policy.get().name(caller);
        throw new AccessDeniedException("Bundle " + name + " may not " + what + ": no rule of org.coffer.access"
                + " allows it (policy = enforce)");
    }

    private String activeName() {
        try {
            return admin.activeBackend().name();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public List<BackendInfo> backends() {
        return admin.backends();
    }

    @Override
    public List<BackendInfo> allBackends() {
        return admin.allBackends();
    }

    @Override
    public BackendInfo activeBackend() {
        return admin.activeBackend();
    }

    @Override
    public void use(String name) {
        administer("PIN", name, () -> admin.use(name));
    }

    @Override
    public void useAutomatic() {
        administer("PIN", null, admin::useAutomatic);
    }

    @Override
    public void unlock(String backend, Secret password) {
        administer("UNLOCK", backend, () -> admin.unlock(backend, password));
    }

    @Override
    public void lock(String backend) {
        administer("LOCK", backend, () -> admin.lock(backend));
    }

    @Override
    public String repair(String backend) {
        String[] done = new String[1];
        administer("REPAIR", backend, () -> done[0] = admin.repair(backend));
        return done[0];
    }

    @Override
    public List<KeyringEntry> migrate(String from, String to, boolean deleteSource) {
        return migrate(from, to, deleteSource, (done, total) -> { });
    }

    @Override
    public List<KeyringEntry> migrate(String from, String to, boolean deleteSource, Progress progress) {
        List<List<KeyringEntry>> moved = new java.util.ArrayList<>(1);
        administer("MIGRATE", from + " -> " + to, () -> moved.add(admin.migrate(from, to, deleteSource, progress)));
        return moved.get(0);
    }

    @Override
    public Optional<String> pinned() {
        return admin.pinned();
    }

    /** Checked as administration; only a refusal or a failure is audited, so that a page showing lists does not flood the audit. */
    @Override
    public List<KeyringEntry> entries(String backend) {
        check(policy.get().mayAdminister(caller), "LIST", null, null, backend, "list the entries of " + backend);
        try {
            return admin.entries(backend);
        } catch (RuntimeException e) {
            record("LIST", null, null, backend, "failed: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    @Override
    public void set(String backend, String service, String username, Secret secret) {
        change("WRITE", service, username, backend, () -> {
            admin.set(backend, service, username, secret);
            return "ok";
        });
    }

    @Override
    public boolean delete(String backend, String service, String username) {
        return "ok".equals(change("DELETE", service, username, backend,
                () -> admin.delete(backend, service, username) ? "ok" : "none"));
    }

    @Override
    public List<Diagnosis> diagnose() {
        return admin.diagnose();
    }

    @Override
    public List<AuditEvent> audit(long after) {
        return audit.after(after);
    }
}
