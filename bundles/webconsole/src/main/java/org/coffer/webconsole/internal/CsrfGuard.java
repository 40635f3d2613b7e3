package org.coffer.webconsole.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.servlet.http.HttpServletRequest;

/**
 * Refuses a change that another site made the browser post. The Felix Web Console has
 * no protection of its own against cross-site requests, so the plugin carries it: each
 * form holds a token, an HMAC of the signed-in user under a key this instance drew at
 * random, and a change needs that token and, when the browser sends one, an
 * {@code Origin} of this very host ({@code Sec-Fetch-Site} too).
 */
final class CsrfGuard {

    static final String FIELD = "coffer-token";
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    CsrfGuard() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        key = new SecretKeySpec(random, HMAC);
    }

    /** @return the token the forms of this user carry */
    String token(HttpServletRequest request) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] tag = mac.doFinal(("coffer-webconsole\0" + user(request)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** @return why the post is refused, or {@code null} when it may go on */
    String refusal(HttpServletRequest request, String token) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "The request came from another site";
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameHost(origin, request.getHeader("Host"))) {
            return "The request came from another origin";
        }
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                token(request).getBytes(StandardCharsets.US_ASCII))) {
            return "The form's token is missing or wrong; reload the page and try again";
        }
        return null;
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
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
