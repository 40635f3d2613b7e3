package org.coffer.webconsole.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.servlet.http.HttpServletRequest;

/**
 * Refuses a change that another site made the browser post. The Felix Web Console has
 * no protection of its own against cross-site requests; {@link ConsoleGuard} checks the
 * origin of every page's posts, and Coffer's page carries a token besides: each form
 * holds an HMAC of the signed-in user and the current hour under a key this instance
 * drew at random. A token is good for the hour it was made in and the next, so a token
 * that leaked stops working, and a page left open longer asks to be reloaded.
 */
final class CsrfGuard {

    static final String FIELD = "coffer-token";
    static final long WINDOW_MILLIS = 3_600_000;
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final LongSupplier clock;

    CsrfGuard() {
        this(System::currentTimeMillis);
    }

    CsrfGuard(LongSupplier clock) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        key = new SecretKeySpec(random, HMAC);
        this.clock = clock;
    }

    /** @return the token the forms of this user carry now */
    String token(HttpServletRequest request) {
        return token(user(request), window());
    }

    /** @return why the post is refused, or {@code null} when it may go on */
    String refusal(HttpServletRequest request, String token) {
        String origin = SameOrigin.refusal(request);
        if (origin != null) {
            return origin;
        }
        if (token == null || !(equal(token, token(user(request), window()))
                || equal(token, token(user(request), window() - 1)))) {
            return "The form's token is missing, wrong or too old; reload the page and try again";
        }
        return null;
    }

    private long window() {
        return Math.floorDiv(clock.getAsLong(), WINDOW_MILLIS);
    }

    private String token(String user, long window) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] tag = mac.doFinal(("coffer-webconsole\0" + window + "\0" + user).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** The user the Web Console signed in: its own attribute, the OSGi HTTP one, or the container's. */
    static String user(HttpServletRequest request) {
        for (String attribute : new String[] {"org.apache.felix.webconsole.user",
            "org.osgi.service.http.authentication.remote.user"}) {
            Object user = request.getAttribute(attribute);
            if (user != null) {
                return user.toString();
            }
        }
        return request.getRemoteUser() == null ? "" : request.getRemoteUser();
    }
}
