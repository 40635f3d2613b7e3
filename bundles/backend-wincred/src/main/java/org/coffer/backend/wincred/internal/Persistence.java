package org.coffer.backend.wincred.internal;

import java.util.Locale;

/**
 * The {@code Persist} of the credentials written, as Python's {@code WinVaultKeyring.persist}
 * takes it: {@code enterprise} (the default), {@code local machine} or {@code session}.
 */
enum Persistence {

    /** {@code CRED_PERSIST_SESSION}: gone when the logon session ends. */
    SESSION(1, "session"),
    /** {@code CRED_PERSIST_LOCAL_MACHINE}: kept on this computer, does not roam. */
    LOCAL_MACHINE(2, "local machine"),
    /** {@code CRED_PERSIST_ENTERPRISE}, Python keyring's default: roams with the user's profile. */
    ENTERPRISE(3, "enterprise");

    /** The value of {@code persist} when none is configured. */
    static final String DEFAULT = "enterprise";

    final int value;
    final String label;

    Persistence(int value, String label) {
        this.value = value;
        this.label = label;
    }

    /**
     * @param text {@code enterprise}, {@code local machine} (or {@code local_machine},
     *        {@code localmachine}) or {@code session}, in any case, as Python accepts the
     *        names of the {@code CRED_PERSIST_*} constants
     * @return the persistence it names
     * @throws IllegalArgumentException naming the option and the values allowed
     */
    static Persistence of(String text) {
        String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "");
        for (Persistence persistence : values()) {
            if (persistence.label.replace(" ", "").equals(name)) {
                return persistence;
            }
        }
        throw new IllegalArgumentException("persist = '" + text + "' in " + WinCredBackend.PID
                + " is none of enterprise, local machine, session");
    }

    @Override
    public String toString() {
        return label + " (CRED_PERSIST_" + name() + ")";
    }
}
