package org.coffer.spi;

import java.util.Objects;

/**
 * A reference to a secret found in a configuration value: its scheme and path, and
 * where in the value it stands so that a format can substitute it.
 */
public final class SecretReference {

    private final String scheme;
    private final String path;
    private final int start;
    private final int end;

    /**
     * @param scheme the resolver scheme, for example {@code keyring}
     * @param path the reference without its scheme
     * @param start the index in the raw value where the reference starts
     * @param end the index after its last character
     */
    public SecretReference(String scheme, String path, int start, int end) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.path = Objects.requireNonNull(path, "path");
        this.start = start;
        this.end = end;
    }

    /**
     * Parses {@code scheme:path}.
     *
     * @param reference the reference
     * @return the parsed reference, spanning the whole text
     * @throws IllegalArgumentException if there is no scheme
     */
    public static SecretReference parse(String reference) {
        int colon = reference.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("A secret reference has the form scheme:path,"
                    + " for example keyring:service/username or env:NAME");
        }
        return new SecretReference(reference.substring(0, colon), reference.substring(colon + 1),
                0, reference.length());
    }

    /** @return the scheme */
    public String scheme() {
        return scheme;
    }

    /** @return the path */
    public String path() {
        return path;
    }

    /** @return the start index in the raw value */
    public int start() {
        return start;
    }

    /** @return the index after the reference in the raw value */
    public int end() {
        return end;
    }

    @Override
    public String toString() {
        return scheme + ":" + path;
    }
}
