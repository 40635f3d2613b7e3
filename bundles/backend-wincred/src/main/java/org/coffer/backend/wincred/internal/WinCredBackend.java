package org.coffer.backend.wincred.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.coffer.Credential;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Windows Credential Manager in the layout of Python keyring's {@code WinVaultKeyring}
 * ({@link WinVaultLayout}), so Python and Coffer share their secrets on Windows, where
 * Resilient recommends it. Registered only on Windows ({@link WinCredProbe}).
 */
@Component(service = KeyringBackend.class, configurationPid = WinCredBackend.PID,
        property = {"service.ranking:Integer=" + WinCredBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + WinCredBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + WinCredProbe.CONDITION + ")")
@Designate(ocd = WinCredConfig.class)
public final class WinCredBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.wincred";
    /** As Python keyring's WinVaultKeyring: the first choice on Windows. */
    static final int DEFAULT_RANKING = 500;
    static final String NAME = "wincred";

    private final WinVaultLayout layout;
    private final String name;
    private final Persistence persist;
    /** The targets read as UTF-8 since the start, the first {@value #MAX_UTF8_SHOWN}. */
    private final Set<String> utf8Targets = new ConcurrentSkipListSet<>();
    private static final int MAX_UTF8_SHOWN = 20;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    /** @throws IllegalArgumentException if {@code persist} names no persistence; the backend then stays absent */
    @Activate
    public WinCredBackend(WinCredConfig config) {
        this(Advapi32Credentials.load(), config.name(), Persistence.of(config.persist()));
    }

    WinCredBackend(CredentialStore store, String name) {
        this(store, name, Persistence.ENTERPRISE);
    }

    WinCredBackend(CredentialStore store, String name, Persistence persist) {
        this.layout = new WinVaultLayout(store, persist, this::readAsUtf8);
        this.name = name;
        this.persist = persist;
    }

    /** Logs a blob read as UTF-8 once per target, and keeps its target for {@link #diagnose}. */
    private void readAsUtf8(String target) {
        if (utf8Targets.size() < MAX_UTF8_SHOWN && utf8Targets.add(target)) {
            Logger current = logger;
            if (current != null) {
                current.warn("The Windows credential {} holds UTF-8; Coffer, like Python's keyring, writes UTF-16"
                        + " and read it as UTF-8", target);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Windows Credential Manager (Python keyring WinVaultKeyring layout)";
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        return layout.get(service, username);
    }

    @Override
    public Optional<Credential> getCredential(String service, String username) {
        return layout.getCredential(service, username);
    }

    @Override
    public void set(String service, String username, Secret secret) {
        layout.set(service, username, secret);
    }

    @Override
    public boolean delete(String service, String username) {
        return layout.delete(service, username);
    }

    @Override
    public boolean canEnumerate() {
        return true;
    }

    @Override
    public List<KeyringEntry> entries() {
        return layout.entries();
    }

    @Override
    public Diagnosis diagnose() {
        Diagnosis.Builder diagnosis = Diagnosis.of(name).detail("store", "Windows Credential Manager, generic credentials")
                .detail("layout", "target SERVICE, or USERNAME@SERVICE for a second user; UTF-16 blobs")
                .detail("persist", persist.toString())
                .detail("compatible with", "Python keyring.backends.Windows.WinVaultKeyring");
        if (!utf8Targets.isEmpty()) {
            diagnosis.detail("read as UTF-8 (written by another program)", String.join(", ", utf8Targets));
        }
        return diagnosis.build();
    }
}
