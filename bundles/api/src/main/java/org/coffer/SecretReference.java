package org.coffer;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A reference to a secret found in a configuration value: its scheme and path, and
 * where in the value it stands so that a format can substitute it.
 */
public final class SecretReference {

    /** The scheme of references to a keyring entry: {@code keyring:service/username}. */
    public static final String KEYRING = "keyring";

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

    /**
     * A reference to a keyring entry. In the path, {@code %}, {@code /} and {@code ]} of
     * the service and username are percent-encoded, so that any name fits.
     *
     * @param service the service
     * @param username the username
     * @param start the index in the raw value where the reference starts
     * @param end the index after its last character
     * @return {@code keyring:service/username}
     */
    public static SecretReference keyring(String service, String username, int start, int end) {
        return new SecretReference(KEYRING, encode(service) + "/" + encode(username), start, end);
    }

    /**
     * @return the service of a keyring reference
     * @throws IllegalArgumentException if this is not a well-formed keyring reference
     */
    public String keyringService() {
        return decode(path.substring(0, keyringSlash()));
    }

    /**
     * @return the username of a keyring reference
     * @throws IllegalArgumentException if this is not a well-formed keyring reference
     */
    public String keyringUsername() {
        return decode(path.substring(keyringSlash() + 1));
    }

    private int keyringSlash() {
        int slash = path.lastIndexOf('/');
        if (!KEYRING.equals(scheme) || slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("A keyring reference has the form keyring:service/username");
        }
        return slash;
    }

    private static String encode(String part) {
        return part.replace("%", "%25").replace("/", "%2F").replace("]", "%5D");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
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
