package org.coffer.keyringfile;

/**
 * Tells a whole value of a keyring file from a cut one, for the value a file ends in
 * ({@link KeyringFileStore}) and for the entries a repair keeps.
 *
 * @since 4.1
 */
@FunctionalInterface
public interface KeyringValueCheck {

    /**
     * @param section the escaped service
     * @param option the escaped username
     * @param value the value as the file holds it, possibly empty
     * @return why it is cut (never quoting it), or {@code null} when it is whole
     */
    String whyNotWhole(String section, String option, String value);

    /** Takes every value as whole. */
    KeyringValueCheck ANY = (section, option, value) -> null;

    /** Base64, as the plaintext format stores values: a value that does not decode is cut. */
    KeyringValueCheck BASE64 = (section, option, value) -> {
        try {
            KeyringValue.decode(value);
            return null;
        } catch (IllegalArgumentException cut) {
            return cut.getMessage();
        }
    };
}
