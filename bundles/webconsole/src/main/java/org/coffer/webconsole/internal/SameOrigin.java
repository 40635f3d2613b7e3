package org.coffer.webconsole.internal;

import java.net.URI;
import java.util.Locale;
import javax.servlet.http.HttpServletRequest;

/**
 * Whether a request shows that it comes from the console's own origin, by the first
 * evidence a browser gives: {@code Origin}, else {@code Sec-Fetch-Site}, else
 * {@code Referer}. A request with none of them is not taken as the console's: every
 * browser of today sends at least one with a post, so only a program that signs in by
 * itself ({@code curl}) lacks them, and it can send {@code Origin} as easily.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    /** @return why the request is not the console's own, or {@code null} when it is */
    static String refusal(HttpServletRequest request) {
        String host = request.getHeader("Host");
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return sameHost(origin, host) ? null : "The request came from another origin";
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") ? null : "The request came from another site";
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            return sameHost(referer, host) ? null : "The request came from another origin";
        }
        return "The request shows no origin (Origin, Sec-Fetch-Site or Referer); a browser sends one,"
                + " a program must send Origin: the console's own address";
    }

    /** @return whether the URL's host and port are the Host the request was sent to */
    static boolean sameHost(String url, String host) {
        if (host == null || url.equals("null")) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            String authority = uri.getRawAuthority();
            return authority != null && uri.getScheme() != null
                    && authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
