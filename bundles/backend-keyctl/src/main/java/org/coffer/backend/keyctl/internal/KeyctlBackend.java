package org.coffer.backend.keyctl.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.coffer.BackendException;
import org.coffer.Diagnosis;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Secrets as {@code user} keys of the Linux kernel's key retention service, described
 * {@code coffer:SERVICE:USERNAME} ({@link KeyDescription}), values in UTF-8: they never
 * touch the disk, other processes of the user see them, and {@code keyctl} reads and
 * writes them. Registered only while {@link KeyctlProbe} holds the condition {@value
 * KeyctlProbe#CONDITION}: on Linux, with the keyctl calls allowed and the keyring there.
 */
@Component(service = KeyringBackend.class, configurationPid = KeyctlBackend.PID,
        property = {"service.ranking:Integer=" + KeyctlBackend.DEFAULT_RANKING,
            KeyringBackend.NAME_PROPERTY + "=" + KeyctlBackend.NAME})
@SatisfyingConditionTarget("(osgi.condition.id=" + KeyctlProbe.CONDITION + ")")
@Designate(ocd = KeyctlConfig.class)
public final class KeyctlBackend implements KeyringBackend {

    static final String PID = "org.coffer.backend.keyctl";
    static final int DEFAULT_RANKING = 150;
    static final String NAME = "keyctl";
    /** The largest payload of a {@code user} key. */
    static final int MAX_PAYLOAD = 32767;

    private final Keyctl keyctl;
    private final KeyctlTarget target;
    private final int timeout;
    private final String name;

    @Activate
    public KeyctlBackend(KeyctlConfig config) {
        this(LibKeyutils.load(), config.keyring(), config.timeout(), config.name());
    }

    public KeyctlBackend(Keyctl keyctl, String keyring, int timeout, String name) {
        this.keyctl = keyctl;
        this.target = new KeyctlTarget(keyctl, keyring);
        this.timeout = timeout;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Linux kernel keyring: " + target + " (keyctl; never on disk)";
    }

    /**
     * A key that expired or was revoked is an error that says so, as {@code keyctl} does,
     * until the kernel drops it; only a key that is not there is "not found".
     */
    @Override
    public Optional<Secret> get(String service, String username) {
        int keyring = serial();
        Optional<Integer> key = find(keyring, service, username, "read");
        if (key.isEmpty()) {
            return Optional.empty();
        }
        byte[] value;
        try {
            value = keyctl.read(key.get());
        } catch (KeyctlException e) {
            if (e.absent()) {
                return Optional.empty();
            }
            throw failure("read", service, username, e);
        }
        try {
            return Optional.of(Secret.fromUtf8(value));
        } catch (IllegalArgumentException e) {
            throw new BackendException("The kernel key " + key.get() + " (" + KeyDescription.of(service, username)
                    + ") holds a value that is not UTF-8 text; Coffer reads text secrets only");
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    private Optional<Integer> find(int keyring, String service, String username, String what) {
        try {
            return keyctl.search(keyring, KeyDescription.of(service, username));
        } catch (KeyctlException e) {
            throw failure(what, service, username, e);
        }
    }

    @Override
    public void set(String service, String username, Secret secret) {
        store(service, username, secret, timeout);
    }

    /** The key's own expiry, in whole seconds rounded up, instead of the configured {@code timeout}. */
    @Override
    public void setExpiring(String service, String username, Secret secret, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("A kernel key's expiry must be above zero, not " + lifetime);
        }
        long seconds = lifetime.getSeconds() + (lifetime.getNano() > 0 ? 1 : 0);
        if (seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("A kernel key expires after at most " + Integer.MAX_VALUE
                    + " seconds; " + seconds + " were asked for");
        }
        store(service, username, secret, (int) seconds);
    }

    private void store(String service, String username, Secret secret, int expiry) {
        byte[] value = secret.utf8();
        try {
            if (value.length == 0 || value.length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("The kernel keyring holds secrets of 1 to " + MAX_PAYLOAD
                        + " bytes; this one has " + value.length);
            }
            int key = keyctl.add(serial(), KeyDescription.of(service, username), value);
            if (expiry > 0) {
                try {
                    keyctl.setTimeout(key, expiry);
                } catch (KeyctlException e) {
                    // a secret meant to expire never stays without its expiry
                    try {
                        keyctl.invalidate(key);
                    } catch (KeyctlException gone) {
                        e.addSuppressed(gone);
                    }
                    throw e;
                }
            }
        } catch (KeyctlException e) {
            throw failure("store", service, username, e);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public boolean delete(String service, String username) {
        int keyring = serial();
        Optional<Integer> key;
        try {
            key = keyctl.search(keyring, KeyDescription.of(service, username));
        } catch (KeyctlException e) {
            if (!e.ended() || !keyringReachable()) {
                throw failure("delete", service, username, e);
            }
            // an expired or revoked key holds no value any more, and the kernel drops it by itself
            return false;
        }
        if (key.isEmpty()) {
            return false;
        }
        try {
            // unlinked first, so that the next read finds nothing rather than a key being collected
            keyctl.unlink(key.get(), keyring);
        } catch (KeyctlException e) {
            if (e.absent()) {
                return false;
            }
            throw failure("delete", service, username, e);
        }
        try {
            keyctl.invalidate(key.get());
        } catch (KeyctlException linkedOnlyThereOrGone) {
            // out of the keyring already: deleted for Coffer
        }
        return true;
    }

    @Override
    public boolean canEnumerate() {
        return true;
    }

    @Override
    public List<KeyringEntry> entries() {
        List<KeyringEntry> entries = new ArrayList<>();
        for (int key : keyctl.links(serial())) {
            String description;
            try {
                description = keyctl.describe(key);
            } catch (KeyctlException goneOrNotOurs) {
                continue;
            }
            String[] parts = description.split(";", 5);
            if (parts.length == 5 && "user".equals(parts[0])) {
                KeyDescription.parse(parts[4]).ifPresent(entries::add);
            }
        }
        return entries;
    }

    @Override
    public Diagnosis diagnose() {
        Diagnosis.Builder diagnosis = Diagnosis.of(name).detail("keyring", target.toString())
                .detail("timeout", timeout > 0 ? timeout + " s" : "none")
                .detail("key descriptions", KeyDescription.PREFIX + "SERVICE:USERNAME")
                .detail("compatible with", "keyctl (keyutils): keyctl request user 'coffer:SERVICE:USERNAME' @u");
        try {
            int serial = serial();
            diagnosis.detail("keyring serial", serial).detail("entries", entries().size());
        } catch (BackendException e) {
            diagnosis.warning(e.getMessage());
        }
        return diagnosis.build();
    }

    private int serial() {
        try {
            return target.serial();
        } catch (KeyctlException e) {
            throw unreachable(e);
        }
    }

    private boolean keyringReachable() {
        try {
            target.serial();
            return true;
        } catch (KeyctlException e) {
            return false;
        }
    }

    private BackendException unreachable(KeyctlException e) {
        return new BackendException("The " + name + " backend cannot reach its keyring: " + target.unreachable(e)
                + ". " + KeyctlProbe.ADVICE, e);
    }

    /** A failure on one entry; an expired or revoked key (or keyring) is named as such. */
    private BackendException failure(String what, String service, String username, KeyctlException e) {
        if (e.ended()) {
            try {
                target.serial();
            } catch (KeyctlException keyring) {
                return unreachable(keyring);
            }
            return new BackendException("The " + name + " backend's key for '" + username + "' in '" + service + "' ("
                    + KeyDescription.of(service, username) + " in " + target + ") " + e.ending()
                    + ", as keyctl shows it; the kernel drops it after /proc/sys/kernel/keys/gc_delay seconds"
                    + " (300 by default). Store it again to use it.", e);
        }
        return new BackendException("The " + name + " backend cannot " + what + " '" + username + "' of '" + service
                + "' in " + target + ": " + e.getMessage(), e);
    }
}
