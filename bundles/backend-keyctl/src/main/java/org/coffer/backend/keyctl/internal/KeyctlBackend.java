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

    @Override
    public Optional<Secret> get(String service, String username) {
        Optional<Integer> key = keyctl.search(serial(), KeyDescription.of(service, username));
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
            throw failure("read '" + username + "' of '" + service + "'", e);
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
            throw failure("store '" + username + "' of '" + service + "'", e);
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public boolean delete(String service, String username) {
        Optional<Integer> key = keyctl.search(serial(), KeyDescription.of(service, username));
        if (key.isEmpty()) {
            return false;
        }
        try {
            keyctl.invalidate(key.get());
            return true;
        } catch (KeyctlException e) {
            if (e.absent()) {
                return false;
            }
            throw failure("delete '" + username + "' of '" + service + "'", e);
        }
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
            throw failure("reach " + target, e);
        }
    }

    private BackendException failure(String what, KeyctlException e) {
        return new BackendException("The " + name + " backend cannot " + what + " in " + target + ": "
                + e.getMessage(), e);
    }
}
