package org.coffer.backend.keyctl.internal;

import org.coffer.spi.BackendAbsence;
import org.coffer.spi.support.PlatformProbe;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.condition.Condition;

/**
 * Tries the kernel keyring once per configuration: on Linux, libkeyutils loads and the
 * configured keyring can be reached. Then it holds the condition {@value #CONDITION}
 * that {@link KeyctlBackend} waits for; otherwise it publishes a {@link BackendAbsence}
 * with the reason, for {@code keyring:backends --all}.
 */
@Component(service = {}, configurationPid = KeyctlBackend.PID, immediate = true)
public final class KeyctlProbe extends PlatformProbe {

    /** The {@code osgi.condition.id} the backend waits for. */
    static final String CONDITION = "org.coffer.backend.keyctl";
    /** What to do when the configured keyring cannot be reached. */
    static final String ADVICE = "Set keyring in " + KeyctlBackend.PID + " to a keyring that exists (persistent,"
            + " user, session or a keyring's serial number), or create it again";

    /** Why the backend cannot work here ({@code null}: it can), and whether only its keyring is at fault. */
    record Verdict(String why, boolean configured) {
    }

    @Activate
    public KeyctlProbe(BundleContext context, KeyctlConfig config) {
        this(context, config.name(), verdict(config.keyring()));
    }

    private KeyctlProbe(BundleContext context, String name, Verdict verdict) {
        super(context, CONDITION, Condition.INSTANCE, name, verdict.why(), verdict.configured());
    }

    /** @return why the kernel keyring cannot be used here, or {@code null} if it can */
    static String whyNot(String keyring) {
        return verdict(keyring).why();
    }

    static String whyNot(Keyctl keyctl, String keyring) {
        return verdict(keyctl, keyring).why();
    }

    /**
     * A keyring that is missing, revoked, expired, refused by its permissions or named
     * wrongly leaves the backend absent as configured, so that a read finding nothing
     * elsewhere names it; another system, no libkeyutils, or a machine that refuses the
     * calls (EPERM from seccomp, ENOSYS, EOPNOTSUPP for persistent keyrings) does not.
     */
    static Verdict verdict(String keyring) {
        String why = PlatformProbe.whyNot(System.getProperty("os.name", ""), "linux", "The kernel keyring (keyctl)",
                "Linux", LibKeyutils::load, error -> "libkeyutils could not be loaded (" + error
                + "); install it (Debian: apt-get install libkeyutils1)");
        return why != null ? new Verdict(why, false) : verdict(LibKeyutils.load(), keyring);
    }

    static Verdict verdict(Keyctl keyctl, String keyring) {
        KeyctlTarget target;
        try {
            target = new KeyctlTarget(keyctl, keyring);
        } catch (IllegalArgumentException e) {
            return new Verdict(e.getMessage(), true);
        }
        try {
            target.serial();
            return new Verdict(null, false);
        } catch (KeyctlException e) {
            if (!e.concernsTheKeyring()) {
                return new Verdict("The kernel refused " + target + ": " + e.getMessage(), false);
            }
            return new Verdict("The configured keyring cannot be reached: " + target.unreachable(e) + ". " + ADVICE,
                    true);
        }
    }
}
