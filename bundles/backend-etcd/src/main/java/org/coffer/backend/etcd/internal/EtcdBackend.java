package org.coffer.backend.etcd.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coffer.BackendException;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.support.MemorySeal;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.support.CofferHome;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Secrets shared by a fleet in etcd v3: sealed with AES-256-GCM under a data key before
 * they leave the machine, under names etcd cannot read ({@link DataKey}), and read from
 * a copy in memory that a watch keeps current ({@link Follower}), so that reads never
 * wait on the network. Off until {@code org.coffer.backend.etcd} names endpoints, and
 * registered only while {@link EtcdProbe} finds that configuration workable.
 */
@Component(service = KeyringBackend.class, configurationPid = EtcdBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"service.ranking:Integer=" + EtcdBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + EtcdBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + EtcdProbe.CONDITION + ")")
@Designate(ocd = EtcdConfig.class)
public final class EtcdBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.etcd";
    static final int DEFAULT_RANKING = 400;
    static final String NAME = "etcd";

    private final String name;
    private final Settings settings;
    private final LocalEntries local;
    private final Gateway gateway;
    private final Follower follower;
    private final EtcdStore store;
    private final Rotation rotation;
    private final Path marks;

    /** What the backend was configured with, for its diagnosis. */
    public static final class Settings {
        final List<URI> endpoints;
        final EtcdLayout layout;
        final String kekFile;
        final String kekService;
        final String kekUsername;
        final String user;
        final String passwordService;
        final String passwordUsername;
        final Duration timeout;

        public Settings(String endpoints, String prefix, String kekFile, String kekService, String kekUsername, String user,
                String passwordService, String passwordUsername, int timeoutSeconds) {
            this.endpoints = new ArrayList<>();
            for (String endpoint : endpoints == null ? new String[0] : endpoints.split(",")) {
                if (!endpoint.isBlank()) {
                    this.endpoints.add(URI.create(endpoint.strip()));
                }
            }
            if (this.endpoints.isEmpty()) {
                throw new IllegalArgumentException("The etcd backend needs endpoints: comma-separated URLs of the"
                        + " cluster's members in " + PID);
            }
            this.layout = new EtcdLayout(prefix);
            this.kekFile = kekFile;
            this.kekService = kekService;
            this.kekUsername = kekUsername;
            if (kekFile.isBlank() == (kekService.isBlank() || kekUsername.isBlank())) {
                throw new IllegalArgumentException("The etcd backend needs its key-encryption key from exactly one"
                        + " place: kek.file, or kek.service with kek.username");
            }
            this.user = user;
            this.passwordService = passwordService;
            this.passwordUsername = passwordUsername;
            this.timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        }

        /** @throws IllegalArgumentException if the configuration cannot work */
        static Settings of(EtcdConfig config) {
            return new Settings(config.endpoints(), config.prefix(), config.kek_file(), config.kek_service(),
                    config.kek_username(), config.user(), config.password_service(), config.password_username(),
                    config.timeout());
        }
    }

    @Activate
    public EtcdBackend(EtcdConfig config) {
        this(config.name(), Settings.of(config), config.tls_ca(), config.tls_cert(), config.tls_key(),
                CofferHome.state(System.getenv()));
    }

    public EtcdBackend(String name, Settings settings, String tlsCa, String tlsCert, String tlsKey, Path state) {
        this.name = name;
        this.settings = settings;
        MemorySeal seal = new MemorySeal();
        this.local = new LocalEntries(needed(settings), seal);
        this.gateway = new Gateway(settings.endpoints, Tls.context(tlsCa, tlsCert, tlsKey), settings.user,
                () -> local.get(settings.passwordService, settings.passwordUsername), settings.timeout);
        this.marks = HighWaterMarks.file(state, name, settings.layout);
        this.follower = new Follower(gateway, settings.layout, () -> {
            KeyEncryptionKey kek = kek();
            return new Replica(settings.layout, seal, kek, new HighWaterMarks(marks, kek));
        }, name);
        this.store = new EtcdStore(name, gateway, settings.layout, follower, seal, settings.timeout);
        this.rotation = new Rotation(name, store, settings.layout, follower, seal);
        follower.start();
    }

    private KeyEncryptionKey kek() {
        if (!settings.kekFile.isBlank()) {
            return KeyEncryptionKey.file(Path.of(settings.kekFile));
        }
        Optional<Secret> entry = local.get(settings.kekService, settings.kekUsername);
        if (entry.isEmpty()) {
            throw new BackendException("The key-encryption key is not available yet: no local backend holds '"
                    + settings.kekUsername + "' of '" + settings.kekService + "' (kek.service, kek.username)");
        }
        try (Secret base64 = entry.get()) {
            return KeyEncryptionKey.of(base64, "the local entry '" + settings.kekUsername + "' of '"
                    + settings.kekService + "'");
        }
    }

    @Deactivate
    public void deactivate() {
        follower.stop();
        Replica replica = follower.replica();
        if (replica != null) {
            replica.marks().close();
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The local entries holding the key-encryption key and the etcd user's password, when configured. */
    @Override
    public Set<KeyringEntry> protectedEntries() {
        Set<KeyringEntry> entries = new LinkedHashSet<>();
        if (settings.kekFile.isBlank()) {
            entries.add(new KeyringEntry(settings.kekService, settings.kekUsername));
        }
        if (!settings.passwordService.isBlank() && !settings.passwordUsername.isBlank()) {
            entries.add(new KeyringEntry(settings.passwordService, settings.passwordUsername));
        }
        return Set.copyOf(entries);
    }

    /** @return the local entries the backend cannot work without: the key's, and the password's when etcd has a user */
    private static Set<KeyringEntry> needed(Settings settings) {
        Set<KeyringEntry> entries = new LinkedHashSet<>();
        if (settings.kekFile.isBlank()) {
            entries.add(new KeyringEntry(settings.kekService, settings.kekUsername));
        }
        if (!settings.user.isBlank() && !settings.passwordService.isBlank() && !settings.passwordUsername.isBlank()) {
            entries.add(new KeyringEntry(settings.passwordService, settings.passwordUsername));
        }
        return Set.copyOf(entries);
    }

    /** @return whether the provider has yet to supply the key-encryption key or the password from their local entries */
    @Override
    public boolean awaitsEntries() {
        return local.awaited();
    }

    /** The provider hands over a local entry's value; kept sealed, never here in clear. */
    @Override
    public void supply(KeyringEntry entry, Secret value) {
        local.take(entry, value);
    }

    @Override
    public String description() {
        return "etcd at " + gateway.endpoints() + ", prefix " + settings.layout + " (AES-256-GCM before it leaves"
                + " the machine)";
    }

    @Override
    public Optional<Secret> get(String service, String username) {
        return store.get(service, username);
    }

    @Override
    public void set(String service, String username, Secret secret) {
        store.set(service, username, secret);
    }

    @Override
    public boolean delete(String service, String username) {
        return store.delete(service, username);
    }

    @Override
    public boolean canEnumerate() {
        return true;
    }

    @Override
    public List<KeyringEntry> entries() {
        return store.entries();
    }

    /**
     * Seals every value again under a new data key, a batch per transaction.
     *
     * @return how many values were sealed again
     */
    int rotate() {
        return rotation.run();
    }

    /** @return the revision the copy reached through the load and the watch, 0 before the load */
    public long copyRevision() {
        Replica replica = follower.replica();
        Replica.State state = replica == null ? null : replica.state();
        return state == null ? 0 : state.revision;
    }

    /** @return the revision of this instance's last committed write */
    long lastCommitted() {
        return store.committed();
    }

    @Override
    public Diagnosis diagnose() {
        Diagnosis.Builder diagnosis = Diagnosis.of(name).detail("endpoints", gateway.endpoints())
                .detail("prefix", settings.layout.toString())
                .detail("key layout", settings.layout.entries + "BASE64URL(HMAC-SHA256(name key, service, username))")
                .detail("key-encryption key", settings.kekFile.isBlank() ? "local entry '" + settings.kekUsername
                        + "' of '" + settings.kekService + "'" : settings.kekFile)
                .detail("etcd user", settings.user.isEmpty() ? "none (etcd auth off)" : settings.user)
                .detail("timeout", settings.timeout.toSeconds() + " s")
                .detail("loads of the prefix", follower.loads());
        Instant heard = follower.heardAt();
        diagnosis.detail("last heard from etcd", heard == null ? "never" : heard.toString());
        Replica replica = follower.replica();
        Replica.State state = replica == null ? null : replica.state();
        if (state != null) {
            diagnosis.detail("copy at revision", state.revision).detail("entries", state.byName.size())
                    .detail("data key", state.currentId == null ? "none yet (made at the first write)"
                            : state.current() == null ? state.currentId
                            : state.currentId + ", generation " + state.current().generation)
                    .detail("high-water marks", marks);
            if (!state.damaged.isEmpty()) {
                Map.Entry<String, DamagedValue> first = state.damaged.entrySet().iterator().next();
                diagnosis.warning(state.damaged.size() + " values in etcd cannot be trusted and fail the read of"
                        + " their entry; for example the value " + first.getValue().reason);
            }
            state.brokenKeys.forEach((id, why) -> diagnosis.warning("Data key " + id + " cannot be used: " + why));
            if (state.currentRolledBack()) {
                diagnosis.warning(settings.layout.current + " names data key " + state.currentId + " of generation "
                        + state.current().generation + ", older than generation " + state.highestGeneration
                        + " this instance has seen: it was rolled back; run etcd:rotate");
            }
            if (replica.marks().problem() != null) {
                diagnosis.warning(replica.marks().problem());
            }
        }
        Instant broken = follower.brokenSince();
        if (broken != null) {
            diagnosis.warning("The copy may be stale by " + Duration.between(broken, Instant.now()).toSeconds()
                    + " s (since " + broken + "): " + follower.problem());
        } else {
            diagnosis.detail("watch", "open on " + gateway.current() + ": the copy is current");
        }
        return diagnosis.build();
    }
}
