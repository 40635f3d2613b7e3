package org.coffer.backend.keyctl.internal;

/** The keyring a configuration names, resolved to its serial on every use (a persistent keyring may expire). */
final class KeyctlTarget {

    private final Keyctl keyctl;
    private final String keyring;

    /**
     * @param keyctl the kernel's calls
     * @param keyring {@code persistent}, {@code user}, {@code session} or a serial number
     * @throws IllegalArgumentException if it is none of these
     */
    KeyctlTarget(Keyctl keyctl, String keyring) {
        this.keyctl = keyctl;
        this.keyring = keyring.strip();
        if (!isName(this.keyring)) {
            try {
                Integer.parseInt(this.keyring);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("keyring = '" + keyring + "' is neither persistent, user,"
                        + " session nor a keyring's serial number");
            }
        }
    }

    private static boolean isName(String keyring) {
        return "persistent".equals(keyring) || "user".equals(keyring) || "session".equals(keyring);
    }

    /** @return the keyring's serial now */
    int serial() {
        switch (keyring) {
            case "persistent":
                return keyctl.persistentKeyring(Keyctl.USER);
            case "user":
                return keyctl.resolve(Keyctl.USER);
            case "session":
                return keyctl.resolve(Keyctl.SESSION);
            default:
                return keyctl.resolve(Integer.parseInt(keyring));
        }
    }

    /**
     * @param e the failure of {@link #serial()}
     * @return why the keyring cannot be reached, naming it once: "the keyring 123 was revoked (EKEYREVOKED)"
     */
    String unreachable(KeyctlException e) {
        if (e.absent()) {
            return this + " does not exist (ENOKEY)";
        }
        if (e.ended()) {
            return this + " " + e.ending();
        }
        return "the kernel refused " + this + ": " + e.getMessage();
    }

    @Override
    public String toString() {
        return isName(keyring) ? "the " + keyring + " keyring" : "the keyring " + keyring;
    }
}
